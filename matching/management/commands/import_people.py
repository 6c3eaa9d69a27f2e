import sys

from django.core.management.base import CommandError
from tqdm import tqdm

from core.councils import CouncilCommand
from matching.importing import import_people

from ._council import add_file_arguments, council_from_slug, file_and_errors, report_refusals


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
        add_file_arguments(parser)

    def handle(self, file, la, errors=None, **options):
        council = council_from_slug(la)
        path, errors_path = file_and_errors(file, errors)
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
            report_refusals(self, summary.first_refused, errors_path)
