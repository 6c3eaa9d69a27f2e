from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError
from django.http import Http404

from accounts.models import User
from core import policy
from privacy import subject_access as sar


class Command(BaseCommand):
    help = (
        "Write everything held about one person (a subject access copy) to a file, "
        "acting as an early help manager of the person's council."
    )

    def add_arguments(self, parser):
        parser.add_argument("person_id", type=int, help="The number in the person's page address")
        parser.add_argument(
            "--as",
            dest="as_email",
            required=True,
            metavar="MANAGER_EMAIL",
            help="Email address of an early help manager of the person's council",
        )
        parser.add_argument("--format", required=True, choices=sorted(sar.FORMATS))
        parser.add_argument("--out", required=True, metavar="FILE", help="File to write (new)")

    def handle(self, person_id, as_email, format, out, **options):
        user = self._manager(as_email)
        path = Path(out)
        if path.exists():
            raise CommandError(f"{out} already exists: choose a new file name, or remove it first.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist: create it first.")
        try:
            person = policy.get_person_for_subject_access(user, person_id)
        except Http404:
            raise CommandError(
                f"No person {person_id} in {user.local_authority.name}: check the number "
                f"(it is in the person's page address, /people/{person_id}/). A manager "
                "can make copies only for people in their own council."
            ) from None
        except PermissionDenied:
            raise CommandError(
                f"{user.email} may not make a copy for person {person_id}."
            ) from None
        content = sar.export(user, person, format)
        with path.open("xb") as file:
            file.write(content)
        self.stdout.write(
            f"Wrote the subject access copy of person {person.pk} ({format}, "
            f"{len(content):,} bytes) to {out}. It holds personal information: keep it "
            "safe, and delete it once it is sent."
        )

    def _manager(self, email):
        user = User.objects.filter(email__iexact=email.strip()).first()
        if user is None:
            raise CommandError(
                f"No user with the email address {email}: give the email address of an "
                "early help manager (--as)."
            )
        if not user.is_active:
            raise CommandError(
                f"The account {user.email} is deactivated: run the command as an active "
                "early help manager."
            )
        if not policy.may_make_subject_access_copies(user):
            raise CommandError(
                f"{user.email} is not an early help manager: only managers may make a "
                "subject access copy. Run it as a manager of the person's council, or ask "
                "the council's administrator to give this account the manager role."
            )
        return user
