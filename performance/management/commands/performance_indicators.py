from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import LocalAuthority
from core import councils
from performance import export


class Command(BaseCommand):
    help = (
        "Write a council's performance indicators (the 12 whole months before --as-of, "
        "default today; by month, district and organisation type) to a CSV file: the "
        "figures the managers' page shows."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument("--out", required=True, metavar="FILE.csv", help="File to write (new)")
        parser.add_argument("--as-of", dest="as_of", metavar="YYYY-MM-DD", help="default: today")

    def handle(self, la, out, as_of=None, **options):
        council = LocalAuthority.objects.filter(slug=la).first()
        if council is None:
            known = ", ".join(
                LocalAuthority.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(f"No council with the short name '{la}'. Known: {known or 'none'}.")
        today = timezone.localdate()
        if as_of is not None:
            try:
                today = date.fromisoformat(as_of)
            except ValueError:
                raise CommandError(
                    f"'{as_of}' is not a date: write it as YYYY-MM-DD, like 2026-04-01."
                ) from None
        path = Path(out)
        if path.suffix.lower() != ".csv":
            raise CommandError(f"{out} does not end in .csv: the indicators are written as CSV.")
        if path.exists():
            raise CommandError(f"{out} already exists: choose a new file name, or remove it first.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist: create it first.")
        with councils.scope(council.pk):
            content = export.to_csv(council, today)
            with path.open("x", encoding="utf-8", newline="") as file:
                file.write(content)
            export.audit_export(council, actor_label="command line: performance_indicators")
        self.stdout.write(f"Performance indicators of {council.name} written to {out}.")
