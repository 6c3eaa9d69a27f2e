from pathlib import Path

from django.core.management.base import CommandError

from core.councils import CouncilCommand
from matching.management.commands._council import council_from_slug
from police.loading import COLUMNS, load_file


class Command(CouncilCommand):
    help = (
        "Record police notifications from a CSV file, one row per child: the columns "
        f"{', '.join(COLUMNS)}. The rows of one incident share its police_reference; a "
        "reference already recorded is skipped, so loading a file twice adds nothing. Each "
        "child is matched with the register and the notification goes where the page would "
        "send it. Refused rows go to the errors file with the line and what to fix."
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
            raise CommandError(f"No such file: {path}. Give the path of a CSV file.")
        errors_path = Path(errors) if errors else path.with_suffix(".errors.csv")
        try:
            summary = load_file(council, path, errors_path=errors_path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{council.name}: {summary}.")
        if summary.refused_rows:
            for refusal in summary.first_refused:
                self.stdout.write(f"  {refusal}")
            self.stdout.write(f"Refused rows, with the line and reason for each: {errors_path}")
