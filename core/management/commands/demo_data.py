from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from accounts.models import LocalAuthority
from core.demo import demo_sign_ins, load_demo_data


class Command(BaseCommand):
    help = "Load synthetic demonstration data (development only: refused when DEBUG is off)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty",
            action="store_true",
            help="Do nothing if the database already has a local authority.",
        )

    def handle(self, *args, if_empty=False, **options):
        if not settings.DEBUG:
            raise CommandError(
                "Demo data is for development only and DEBUG is off. It creates accounts "
                "with a published password, so it is never loaded into a real installation."
            )
        if LocalAuthority.objects.exists():
            if not if_empty:
                raise CommandError(
                    "The database already has local authorities; demo data is only loaded "
                    "into an empty database. Use --if-empty to make this a no-op, or start "
                    "again with an empty database (delete var/earlyhelp.sqlite3)."
                )
            self.stdout.write("Demo data: the database already has data, nothing loaded.")
        else:
            for name, families in load_demo_data():
                self.stdout.write(f"Demo data: {name} with {families} synthetic families.")
        self.stdout.write(f"\nDemo sign-ins (password for all: {settings.DEMO_PASSWORD}):")
        for email, description in demo_sign_ins():
            self.stdout.write(f"  {email:34} {description}")
