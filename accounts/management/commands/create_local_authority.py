from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.services import create_local_authority


class Command(BaseCommand):
    help = "Create an empty local authority with default settings (safe to run again)."

    def add_arguments(self, parser):
        parser.add_argument("slug", help="Short name used in commands, e.g. northmoor")
        parser.add_argument("name", help='Full name, e.g. "Northmoor Borough Council"')

    def handle(self, slug, name, **options):
        if not name.strip():
            raise CommandError("NAME is empty: give the council's full name in quotes.")
        try:
            la, created = create_local_authority(slug, name.strip())
        except ValidationError as error:
            problems = "; ".join(
                f"{field}: {' '.join(messages)}" for field, messages in error.message_dict.items()
            )
            raise CommandError(
                f"Cannot create local authority '{slug}': {problems}. A slug uses only "
                "letters, numbers, hyphens and underscores."
            ) from None
        if created:
            self.stdout.write(f"Created local authority {la.slug}: {la.name}")
        elif la.name != name.strip():
            self.stdout.write(
                f"Local authority {la.slug} already exists as '{la.name}': nothing changed "
                "(the name was not updated)."
            )
        else:
            self.stdout.write(f"Local authority {la.slug} already exists: nothing changed.")
