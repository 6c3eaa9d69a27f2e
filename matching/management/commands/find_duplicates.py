from core.councils import CouncilCommand
from matching.duplicates import find_duplicates

from ._council import council_from_slug


class Command(CouncilCommand):
    help = (
        "Find records of one council that are probably the same person and list them "
        "for its Early Help Officers and managers to review (Possible duplicates). "
        "Nothing is merged; pairs already decided are left as they were."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", required=True, help="The council's short name")

    def handle(self, la, **options):
        council = council_from_slug(la)
        summary = find_duplicates(council, actor_label="command line: find_duplicates")
        self.stdout.write(f"{council.name}: {summary}.")
