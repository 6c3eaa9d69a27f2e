from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from api.clients import create_client
from api.models import Scope
from core.councils import CouncilCommand
from matching.management.commands._council import council_from_slug


def organisation_of(council, reference):
    """The council's organisation with this id, school URN or NHS ODS code."""
    reference = reference.strip()
    match = Q(school_urn__iexact=reference) | Q(ods_code__iexact=reference)
    if reference.isdigit() and len(reference) <= 9:
        match |= Q(pk=int(reference))
    found = list(Organisation.objects.filter(match, local_authority=council)[:2])
    if not found or not reference:
        raise CommandError(
            f"No organisation of {council.name} has the id, URN or ODS code '{reference}'. "
            "Check it on the council's directory, or give its id."
        )
    if len(found) > 1:
        raise CommandError(
            f"More than one organisation of {council.name} matches '{reference}': give its id."
        )
    return found[0]


class Command(CouncilCommand):
    help = (
        "Register a partner system for the API (docs/API.md): it acts as ORG (the "
        "organisation's id, school URN or NHS ODS code) in the council, with the scopes "
        f"given ({', '.join(Scope.values)}). The token is printed once, alone on the last "
        "line: only its hash is kept."
    )

    def add_arguments(self, parser):
        parser.add_argument("name", help="The client's name, shown in the audit trail")
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument("--organisation", metavar="ORG", required=True)
        parser.add_argument(
            "--scopes", metavar="SCOPE[,SCOPE...]", required=True, help="Comma-separated"
        )
        parser.add_argument(
            "--days", type=int, default=None, help="Days until the token expires (default 365)"
        )

    def handle(self, name, la, organisation, scopes, days=None, **options):
        council = council_from_slug(la)
        if days is not None and not 1 <= days <= 3650:
            raise CommandError("--days must be a whole number from 1 to 3650.")
        org = organisation_of(council, organisation)
        try:
            client, token = create_client(council, org, name, scopes.split(","), days=days)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages) + ".") from error
        expires = timezone.localtime(client.token_expires_at)
        self.stdout.write(
            f"Created API client '{client.name}' for {org.name} ({council.name}) with the "
            f"scopes {', '.join(client.scopes)}, expiring on {expires:%d %B %Y}. "
            "Its token, shown only now:"
        )
        self.stdout.write(token)
