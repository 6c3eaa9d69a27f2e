import datetime

from django.utils import timezone

from accounts.models import User
from core import policy
from core.demo import COUNCILS, load_demo_data
from episodes.work_owed import work_owed_by
from outcomes.claim import claim_report


def test_each_demo_council_has_a_claimable_family_and_a_check_owed(db, settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    load_demo_data()
    today = timezone.localdate()

    for council in COUNCILS:
        manager = User.objects.get(email=f"manager@{council['slug']}.example")
        report = claim_report(
            manager.local_authority,
            today - datetime.timedelta(days=30),
            today,
            name_of=lambda person: person.full_name,
        )
        assert len(report.families) == 1
        owed = [
            item
            for user in User.objects.filter(local_authority=manager.local_authority)
            for item in work_owed_by(user)
            if item.where[0] == "outcomes:record_checks"
        ]
        assert len(owed) == 1
        assert policy.sustainment_checks_owed_by(manager).count() == 0
