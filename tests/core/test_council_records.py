"""Each row of a case carries its council, set from its parent, and every query
on a case table is limited to the council served (core/council_records.py)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from core import councils
from episodes.models import Episode, EpisodeNeed
from meetings.models import Invitee, Meeting
from notes.models import CaseNote


@pytest.fixture
def meeting(episode, involved):
    return Meeting.objects.create(
        episode=episode, starts_at=timezone.now(), location="Synthetic hall", arranged_by=involved
    )


def test_a_row_of_a_case_takes_its_council_from_its_parent(episode, meeting, involved):
    invitee = Invitee.objects.create(meeting_id=meeting.pk, user=involved)
    assert meeting.local_authority_id == episode.local_authority_id
    assert Invitee.objects.get(pk=invitee.pk).local_authority_id == episode.local_authority_id


def test_bulk_create_fills_the_council_asking_once_per_parent(episode):
    with CaptureQueriesContext(connection) as queries:
        EpisodeNeed.objects.bulk_create(
            EpisodeNeed(episode_id=episode.pk, need=need) for need in ("housing", "school")
        )
    lookups = [q for q in queries if 'FROM "episodes_episode"' in q["sql"]]
    assert len(lookups) == 1
    assert set(EpisodeNeed.objects.values_list("local_authority_id", flat=True)) == {
        episode.local_authority_id
    }


def test_inside_another_councils_scope_a_case_has_no_rows(episode, meeting, other_la):
    CaseNote.objects.create(
        episode=episode,
        kind="home_visit",
        happened_on=timezone.localdate(),
        who="Synthetic",
        what_happened="Synthetic note",
        author=meeting.arranged_by,
    )
    note = CaseNote.objects.get()  # loaded outside any scope, its case not yet read
    with councils.scope(other_la.pk):
        assert not Meeting.objects.exists()
        assert not episode.meetings.exists()  # related managers too
        with pytest.raises(Episode.DoesNotExist):
            note.episode  # noqa: B018  (foreign-key reads use the scoped base manager)
    with councils.scope(episode.local_authority_id):
        assert list(episode.meetings.all()) == [meeting]
        assert note.episode == episode


def test_a_join_between_case_tables_matches_the_council(episode):
    sql = str(Meeting.objects.filter(episode__family__name="Ash").query)
    assert '"people_family"."local_authority_id" = ("episodes_episode"."local_authority_id")' in sql
    assert (
        '"episodes_episode"."local_authority_id" = ("meetings_meeting"."local_authority_id")' in sql
    )
