from accounts.models import User
from core.demo import COUNCILS, load_demo_data
from matching.duplicates import open_duplicates_for
from matching.models import PossibleDuplicate
from people.models import Person


def test_each_demo_council_has_legacy_copies_waiting_for_review(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data()

    for council in COUNCILS:
        legacy = Person.objects.filter(
            local_authority__slug=council["slug"], external_id__startswith="LEGACY-"
        )
        pairs = PossibleDuplicate.objects.filter(
            first__local_authority__slug=council["slug"], status=PossibleDuplicate.Status.OPEN
        ).values_list("first_id", "second_id")
        # Each legacy copy is paired with the child it copies; nothing merged.
        copies = {
            tuple(sorted((person.pk, int(person.external_id.removeprefix("LEGACY-")))))
            for person in legacy
        }
        assert len(copies) == 4 and copies <= set(pairs)
        assert not legacy.filter(merged_into__isnull=False).exists()
        eho = User.objects.get(email=f"eho@{council['slug']}.example")
        assert open_duplicates_for(eho).exists()
