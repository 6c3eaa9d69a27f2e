"""The demo councils (core/demo.py): what `make run` shows a new user must be
there. The demo is loaded once for the module, by the command `make run`
uses (it takes seconds), and each test runs in a savepoint of it."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings
from django.utils import timezone

from accounts.models import LocalAuthority, User
from core import policy
from core.demo import COUNCILS
from episodes.work_owed import work_owed_by
from matching.duplicates import open_duplicates_for
from matching.models import PossibleDuplicate
from outcomes.claim import claim_report
from panels.models import Panel
from people.models import Person
from tests.built_once import built_once


def _load_with_the_command():
    """What `make run` does (demo_data --if-empty); returns what it printed."""
    out = io.StringIO()
    with override_settings(DEBUG=True):
        call_command("demo_data", "--if-empty", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    yield from built_once(_load_with_the_command, django_db_blocker, tmp_path_factory, "demo-media")


def test_the_command_loads_the_demo_once_and_then_refuses_or_does_nothing(demo, db, settings):
    assert demo.count("synthetic families") == len(COUNCILS)
    assert "Demo sign-ins (password for all:" in demo
    assert sorted(LocalAuthority.objects.values_list("slug", flat=True)) == [
        "eastvale",
        "northmoor",
    ]
    settings.DEBUG = True
    again = io.StringIO()
    call_command("demo_data", "--if-empty", stdout=again)
    assert "Demo data: the database already has data, nothing loaded." in again.getvalue()
    assert "synthetic families" not in again.getvalue()
    with pytest.raises(CommandError) as refused:
        call_command("demo_data")
    assert "only loaded into an empty database" in str(refused.value)
    assert LocalAuthority.objects.count() == len(COUNCILS)
    call_command("verify_audit", stdout=io.StringIO())


def test_the_demo_councils_have_a_mash_number_from_the_drama_range():
    # Ofcom's range for drama: 01632 960000 to 960999, never a real line.
    assert [council["mash_phone"][:10] for council in COUNCILS] == ["01632 960 "] * len(COUNCILS)


def test_each_demo_council_has_legacy_copies_waiting_for_review(demo, db):

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


def test_each_demo_council_has_an_open_panel_the_health_visitor_sits_on(demo, db):

    for council in COUNCILS:
        visitor = User.objects.get(email=f"health-visitor@{council['slug']}.example")
        (panel,) = policy.panels_sat_on(visitor)
        (item,) = panel.agenda_items.select_related("episode", "referral")
        assert (panel.local_authority.slug, panel.is_open, item.referral.kind) == (
            council["slug"],
            True,
            "panel",
        )
        # The panel is why she can read the case: she does no work on it.
        assert policy.episodes_visible_to(visitor).filter(pk=item.episode_id).exists()
        assert not policy.can_work_on_episode(visitor, item.episode)
    assert Panel.objects.count() == len(COUNCILS)


def test_each_demo_council_has_a_claimable_family_and_a_check_owed(demo, db):
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


def test_the_rules_asked_of_each_row_let_through_what_they_do_whole(demo, db):
    # A page that keeps a few cases by other means asks the visibility rule
    # about each of them (few=True, core.lookups.InPerRow) rather than working
    # out its whole set first: for every user of both councils, the same cases
    # and people either way, and the rule is not trivial for the users tried.
    from episodes.models import Episode

    narrowed = 0
    for user in User.objects.select_related("local_authority__timescales"):
        council = Episode.objects.filter(local_authority_id=user.local_authority_id).count()
        whole = set(policy.episodes_visible_to(user).values_list("pk", flat=True))
        assert set(policy.episodes_visible_to(user, few=True).values_list("pk", flat=True)) == whole
        worked_on = set(policy._episodes_worked_on_by(user).values_list("pk", flat=True))
        asked = policy._episodes_worked_on_by(user, few=True).values_list("pk", flat=True)
        assert set(asked) == worked_on
        people = set(policy.people_visible_to(user).values_list("pk", flat=True))
        assert set(policy.people_visible_to(user, few=True).values_list("pk", flat=True)) == people
        for pk in list(whole)[:3]:
            assert policy.episodes_visible_to(user, few=True).filter(pk=pk).exists()
        narrowed += 0 < len(whole) < council
    assert narrowed >= 4
