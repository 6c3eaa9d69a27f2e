import sys
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from core.councils import CouncilCommand
from matching.importing import import_people

from ._council import council_from_slug


def _count_rows(path):
    with open(path, "rb") as handle:
        return max(sum(1 for _ in handle) - 1, 0)


class Command(CouncilCommand):
    help = (
        "Import people from a CSV file (header row; columns external_id, first_name, "
        "last_name, date_of_birth, sex, postcode, nhs_number, upn, parent_name in any order; "
        "dates YYYY-MM-DD or DD/MM/YYYY). A row with a value that cannot be stored is "
        "skipped and listed in an error file with its line number, the column to fix and "
        "what a valid value looks like; running the same file again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument(
            "--errors",
            metavar="ERRORS.csv",
            help="Where to list refused rows (default: FILE.errors.csv beside the file)",
        )

    def handle(self, file, la, errors=None, **options):
        council = council_from_slug(la)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}. Give the path of a CSV file to import.")
        errors_path = Path(errors) if errors else path.with_suffix(".errors.csv")
        show_progress = sys.stderr.isatty()
        with tqdm(
            total=_count_rows(path) if show_progress else None,
            unit=" rows",
            disable=not show_progress,
        ) as progress:
            try:
                summary = import_people(council, path, errors_path=errors_path, progress=progress)
            except (ValueError, UnicodeDecodeError) as error:
                raise CommandError(f"{error}") from error
        self.stdout.write(f"{council.name}: {summary}.")
        if summary.refused:
            for refusal in summary.first_refused:
                self.stdout.write(f"  {refusal}")
            self.stdout.write(f"Refused rows, with the line and reason for each: {errors_path}")
