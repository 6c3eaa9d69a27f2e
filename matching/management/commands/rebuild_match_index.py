from core.councils import CouncilCommand
from matching import indexing
from people.models import Person

from ._council import council_from_slug


class Command(CouncilCommand):
    help = (
        "Rebuild the match keys of every person (or one council's). Run once after "
        "upgrading to a version whose matching rules changed; saving a person keeps "
        "their own keys up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--la", metavar="SLUG", help="Only this council (default: all)")

    def handle(self, la=None, **options):
        people = Person.objects.all()
        if la:
            people = people.filter(local_authority=council_from_slug(la))
        ids = list(people.values_list("pk", flat=True))
        for start in range(0, len(ids), 10_000):
            indexing.index_person_ids(ids[start : start + 10_000])
        self.stdout.write(f"Match keys rebuilt for {len(ids)} people.")
