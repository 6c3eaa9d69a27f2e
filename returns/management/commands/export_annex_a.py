import datetime
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils import timezone

from core.councils import CouncilCommand
from matching.management.commands._council import council_from_slug
from returns import annex_a


def _as_of(text: str | None) -> datetime.date | None:
    if text is None:
        return None
    try:
        return datetime.date.fromisoformat(text.strip())
    except ValueError:
        raise CommandError(
            f"--as-of {text!r} is not a date: write it as YYYY-MM-DD, like 2026-03-27."
        ) from None


class Command(CouncilCommand):
    help = (
        "Write Ofsted's Annex A early help list (List 2) for a council to an Excel workbook: "
        "one row per child per early help assessment open at any time in the six months "
        "before --as-of (default today), and each child whose case is still open; a sheet "
        "named 'List 2', Annex A's header and codes, dates as Excel dates (dd/mm/yyyy). "
        "Restricted dates of birth and ethnicities are left out. Audited as an export."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument(
            "--out", metavar="FILE.xlsx", required=True, help="Where to write the workbook"
        )
        parser.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            help="The date to report as of (default today); not in the future",
        )

    def handle(self, la, out, as_of=None, **options):
        council = council_from_slug(la)
        out_path = Path(out)
        if out_path.suffix.lower() != ".xlsx":
            raise CommandError(
                f"--out {out_path} must end in .xlsx: the list is an Excel workbook."
            )
        if out_path.is_dir():
            raise CommandError(f"--out {out_path} is a folder: give the path of a file.")
        if not out_path.parent.is_dir():
            raise CommandError(f"No such folder: {out_path.parent}. Create it, or choose another.")
        day = _as_of(as_of) or timezone.localdate()
        try:
            data = annex_a.export(council, day, actor_label="command line: export_annex_a")
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from error
        try:
            out_path.write_bytes(data)
        except OSError as error:
            raise CommandError(f"Could not write {out_path}: {error.strerror}.") from error
        first, last = annex_a.window(day)
        self.stdout.write(
            f"{council.name}: Annex A List 2 as of {last.isoformat()} (assessments open from "
            f"{first.isoformat()}) written to {out_path}."
        )
