from django.core.management.base import CommandError

from core.councils import CouncilCommand
from matching.management.commands._council import (
    add_file_arguments,
    council_from_slug,
    file_and_errors,
    report_refusals,
)
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
        add_file_arguments(parser)

    def handle(self, file, la, errors=None, **options):
        council = council_from_slug(la)
        path, errors_path = file_and_errors(file, errors)
        try:
            summary = load_file(council, path, errors_path=errors_path)
        except (ValueError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{council.name}: {summary}.")
        if summary.refused_rows:
            report_refusals(self, summary.first_refused, errors_path)
