import sys
from pathlib import Path

from django.core.management.base import CommandError
from tqdm import tqdm

from core.councils import CouncilCommand
from matching.batch import match_file

from ._council import council_from_slug


class Command(CouncilCommand):
    help = (
        "Match a list of people against a council's register. The input CSV has a query_id "
        "column and any of first_name, last_name, date_of_birth, sex, postcode, nhs_number, "
        "upn, parent_name; the output has query_id,external_id,score,warnings, best first, "
        "only matches at or above the service's threshold. A wrong value (an NHS number or "
        "UPN whose check digit is wrong, a postcode or date that is not one) is left out and "
        "the row is matched on the rest; warnings names each value left out or read another "
        "way (postcode B2I 9SW read as B21 9SW), and a query with warnings but no match gets "
        "one row with external_id and score blank. Only a row with nothing to match on (no "
        "name, NHS number or UPN) is refused, in the errors file with the reason."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", metavar="FILE.csv")
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
        parser.add_argument("--out", metavar="OUT.csv", required=True, help="Where to write")
        parser.add_argument(
            "--errors",
            metavar="ERRORS.csv",
            help="Where to list refused rows (default: FILE.errors.csv beside the file)",
        )

    def handle(self, file, la, out, errors=None, **options):
        council = council_from_slug(la)
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"No such file: {path}. Give the path of a CSV file of queries.")
        out_path = Path(out)
        if out_path.resolve() == path.resolve():
            raise CommandError("--out is the input file: choose another path for the results.")
        errors_path = Path(errors) if errors else path.with_suffix(".errors.csv")
        show_progress = sys.stderr.isatty()
        with tqdm(unit=" queries", disable=not show_progress) as progress:
            try:
                summary = match_file(
                    council, path, out_path, errors_path=errors_path, progress=progress
                )
            except (ValueError, UnicodeDecodeError) as error:
                raise CommandError(f"{error}") from error
        self.stdout.write(f"{council.name}: {summary}. Results: {out_path}")
        if summary.refused:
            for refusal in summary.first_refused:
                self.stdout.write(f"  {refusal}")
            self.stdout.write(f"Refused rows, with the line and reason for each: {errors_path}")
