from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import LocalAuthority
from core import councils
from outcomes import export
from outcomes.claim import claim_report
from people import restrictions


def _date(value):
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandError(
            f"'{value}' is not a date: write it as YYYY-MM-DD, like 2026-04-01."
        ) from None


class Command(BaseCommand):
    help = (
        "Write a council's Supporting Families claim (the families meeting every rule for a "
        "successful outcome, with their evidence) for a period to a CSV file. Restricted "
        "names are left out, as in a document."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument("--from", dest="start", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--to", dest="end", required=True, metavar="YYYY-MM-DD")
        parser.add_argument("--out", required=True, metavar="FILE.csv", help="File to write (new)")

    def handle(self, la, start, end, out, **options):
        council = LocalAuthority.objects.filter(slug=la).first()
        if council is None:
            known = ", ".join(
                LocalAuthority.objects.order_by("slug").values_list("slug", flat=True)
            )
            raise CommandError(f"No council with the short name '{la}'. Known: {known or 'none'}.")
        start, end = _date(start), _date(end)
        if end < start:
            raise CommandError("--to must be on or after --from.")
        path = Path(out)
        if path.exists():
            raise CommandError(f"{out} already exists: choose a new file name, or remove it first.")
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist: create it first.")
        with councils.scope(council.pk):
            report = claim_report(
                council,
                start,
                end,
                # No reader to show restricted parts to: every restriction applies.
                name_of=lambda person: restrictions.for_document(person, None, None).full_name,
            )
            content = export.to_csv(report)
            with path.open("x", encoding="utf-8", newline="") as file:
                file.write(content)
            export.audit_export(report, actor_label="command line: supporting_families_claim")
        self.stdout.write(
            f"From {start} to {end}: families meeting every rule, {len(report.families)}; "
            f"families worked with, {report.families_worked_with}. Written to {out}. "
            "It names families: keep it safe."
        )
