from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from api import clients
from api.models import ApiClient
from core.councils import CouncilCommand
from matching.management.commands._council import council_from_slug


class Command(CouncilCommand):
    help = (
        "Rotate a partner system's API token (a new one is printed once, alone on the last "
        "line, and the old one stops working at once) or revoke it (every call is refused "
        "until it is rotated)."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, as created")
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        what = parser.add_mutually_exclusive_group(required=True)
        what.add_argument("--rotate", action="store_true")
        what.add_argument("--revoke", action="store_true")
        parser.add_argument("--days", type=int, default=None, help="With --rotate: days to expiry")

    def handle(self, name, la, days=None, **options):
        council = council_from_slug(la)
        client = ApiClient.objects.filter(
            local_authority=council, name__iexact=name.strip()
        ).first()
        if client is None:
            known = ", ".join(
                ApiClient.objects.filter(local_authority=council).values_list("name", flat=True)
            )
            raise CommandError(
                f"{council.name} has no API client called '{name}'. Known: {known or 'none'}."
            )
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be a whole number from 1 to 3650.")
        if options["revoke"]:
            clients.revoke(client)
            self.stdout.write(f"Revoked the token of '{client.name}': its calls are refused now.")
            return
        try:
            token = clients.rotate(client, days=days)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        expires = timezone.localtime(client.token_expires_at)
        self.stdout.write(
            f"New token for '{client.name}', expiring on {expires:%d %B %Y}; "
            "the old one no longer works. Shown only now:"
        )
        self.stdout.write(token)
