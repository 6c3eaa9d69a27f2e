from django.core.management.base import CommandError

from accounts.models import LocalAuthority


def council_from_slug(slug):
    council = LocalAuthority.objects.filter(slug=slug).first()
    if council is None:
        known = ", ".join(LocalAuthority.objects.order_by("slug").values_list("slug", flat=True))
        raise CommandError(f"No council with the short name '{slug}'. Known: {known or 'none'}.")
    return council


def add_file_arguments(parser):
    """A council's CSV file: FILE.csv, --la SLUG and --errors ERRORS.csv."""
    parser.add_argument("file", metavar="FILE.csv")
    parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")
    parser.add_argument(
        "--errors",
        metavar="ERRORS.csv",
        help="Where to list refused rows (default: FILE.errors.csv beside the file)",
    )


def file_and_errors(file, errors):
    """The input file, which must exist, and where refused rows go."""
    from pathlib import Path

    path = Path(file)
    if not path.is_file():
        raise CommandError(f"No such file: {path}. Give the path of a CSV file.")
    return path, Path(errors) if errors else path.with_suffix(".errors.csv")


def report_refusals(command, summary_refusals, errors_path):
    """The first refused rows on screen, and where the rest are."""
    for refusal in summary_refusals:
        command.stdout.write(f"  {refusal}")
    command.stdout.write(f"Refused rows, with the line and reason for each: {errors_path}")
