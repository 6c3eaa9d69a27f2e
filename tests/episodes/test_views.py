import pytest

from audit.models import Action, AuditEvent
from tests.factories import DistrictFactory, EpisodeFactory
from tests.journey_factories import at_meeting, planned  # noqa: F401  (fixtures)


def test_case_page_is_shown_and_the_view_audited(client_for, involved, episode):
    response = client_for(involved).get(f"/cases/{episode.pk}/")

    assert response.status_code == 200
    assert episode.family.name in response.content.decode()
    view = AuditEvent.objects.filter(action=Action.VIEW).get()
    assert (view.actor, view.object_type, view.object_id) == (
        involved,
        "episodes.episode",
        str(episode.pk),
    )


@pytest.mark.parametrize("persona", ["other_org", "other_eho", "other_la_manager"])
def test_case_page_is_404_to_those_not_involved(request, client_for, episode, persona):
    user = request.getfixturevalue(persona)
    response = client_for(user).get(f"/cases/{episode.pk}/")

    assert response.status_code == 404
    assert episode.family.name not in response.content.decode()


def test_case_list_needs_a_case_role(client_for, la_admin):
    assert client_for(la_admin).get("/cases/").status_code == 403


def test_case_list_shows_open_cases_and_filters_by_status(client_for, manager, episode, la):
    closed = EpisodeFactory(local_authority=la, status="closed", closure_reason="needs_met")

    open_page = client_for(manager).get("/cases/").content.decode()
    closed_page = client_for(manager).get("/cases/?status=closed").content.decode()

    assert (episode.reference in open_page, closed.reference in open_page) == (True, False)
    assert (episode.reference in closed_page, closed.reference in closed_page) == (False, True)


def test_case_list_pages_keep_the_filters_it_accepted_and_drop_the_rest(
    client_for, manager, la, monkeypatch
):
    from episodes import views

    monkeypatch.setattr(views, "PAGE_SIZE", 2)
    district = DistrictFactory(local_authority=la)
    cases = EpisodeFactory.create_batch(3, local_authority=la, district=district)
    EpisodeFactory.create_batch(2, local_authority=la)  # another district's
    client = client_for(manager)

    first = client.get(f"/cases/?status=open&district={district.pk}&junk=%00&page=1")
    html = first.content.decode()
    next_link = f"?status=open&amp;district={district.pk}&amp;page=2"
    assert next_link in html
    assert "junk" not in html
    second = client.get("/cases/" + next_link.replace("&amp;", "&")).content.decode()

    shown = [case for case in cases if case.reference in html + second]
    assert len(shown) == 3
    assert f"?status=open&amp;district={district.pk}&amp;page=1" in second


@pytest.mark.parametrize("count", [1, 3])
def test_case_list_queries_do_not_grow_with_the_cases(
    client_for, manager, la, count, django_assert_num_queries
):
    EpisodeFactory.create_batch(count, local_authority=la)
    client = client_for(manager)
    client.get("/cases/")  # warm the session and role cache paths
    # session, user with its LA and the LA's timescales, OTP device, roles,
    # organisations, may-request check, the count and the page's ids (a
    # manager's list: no subquery, so apart; see core.paging), the page's rows,
    # overrides to review on the page, the districts
    with django_assert_num_queries(10):
        response = client.get("/cases/")
    assert response.context["page"].paginator.count == count


def test_chronology_puts_a_same_day_consent_after_the_request(client_for, involved, episode):
    from django.utils import timezone

    from consent.services import record_consent
    from tests.journey import add_parent

    parent = add_parent(episode)
    record_consent(
        involved,
        episode,
        person=parent,
        purpose="assessment",
        given=False,
        method="in_person",
        given_on=timezone.localdate(episode.requested_at),
    )
    page = client_for(involved).get(f"/cases/{episode.pk}/")
    assert [entry.title for entry in page.context["chronology"]] == [
        "Early help requested",
        f"Consent: {parent.full_name} refused the assessment",
    ]


@pytest.mark.parametrize("notes", [1, 4])
def test_case_page_queries_do_not_grow_with_its_notes(
    client_for, involved, episode, notes, django_assert_num_queries
):
    """Every note is scrubbed of restricted values twice (the notes section and
    the chronology) against the family's people, read once for the page; the
    policy is asked once whether the user works on the case."""
    from tests.journey import add_parent

    add_parent(episode)
    for n in range(notes):
        _visit_note(episode, involved, n)
    response = _case_page_in(
        client_for(involved), episode, CASE_PAGE_QUERIES, django_assert_num_queries
    )
    assert response.content.decode().count("Visit ") == 2 * notes


def _visit_note(episode, author, n):
    from django.utils import timezone

    from notes.models import CaseNote, NoteKind

    CaseNote.objects.create(
        episode=episode,
        kind=NoteKind.HOME_VISIT,
        happened_on=timezone.localdate(),
        who="Parent",
        what_happened=f"Visit {n}",
        author=author,
    )


def _case_page_in(client, episode, queries, django_assert_num_queries):
    """The case page asked for a second time (the session's first request
    does more), in exactly `queries` queries."""
    client.get(f"/cases/{episode.pk}/")
    with django_assert_num_queries(queries):
        return client.get(f"/cases/{episode.pk}/")


@pytest.mark.parametrize("versions", [1, 3])
def test_a_planned_case_page_reads_the_same_whatever_its_history(
    client_for,
    involved,
    planned,  # noqa: F811  (the fixture imported above)
    versions,
    django_assert_num_queries,
):
    """A case at the plan stage shows its assessment (who started and completed
    it), the plan with the copies owed to each family member, and a row for
    each version: read once each, however many versions, members or notes."""
    from plans.services import current_plan, new_version
    from tests.journey import add_parent
    from tests.journey_factories import plan_actions

    episode = planned.episode
    # The same kinds of record whatever the history (the page reads only the
    # kinds the case has: episodes/records_present.py).
    _visit_note(episode, involved, "first")
    for n in range(versions - 1):
        add_parent(episode, first_name=f"Carer{n}")
        plan = current_plan(episode)
        action = plan_actions(plan)[0]
        new_version(
            involved,
            plan,
            change_summary=f"Change {n}",
            changed_actions={action: {"what": f"A{n}"}},
        )
        _visit_note(episode, involved, n)
    response = _case_page_in(
        client_for(involved), episode, PLANNED_CASE_PAGE_QUERIES, django_assert_num_queries
    )
    titles = [entry.title for entry in response.context["chronology"]]
    assert sum(title.startswith("Plan version") for title in titles) == versions
    assert "Assessment completed" in titles


# The case page at the plan stage: each kind of record read once (see
# CASE_PAGE_QUERIES below), the assessment with who started and completed it,
# the family's members once for the family table and the copies owed, and
# the plan's action totals and copies given. 34 before the kinds the case has
# none of were left unread.
PLANNED_CASE_PAGE_QUERIES = 25


# The case page reads each kind of record once: the signed-in user, the case
# (with its council), the view's audit event, the family, the team's access,
# whether the user works on the case (asked once; that they may see it and so
# refer it is known from fetching it), which kinds of record the case has (one
# query: episodes/records_present.py), the chronology's records of those kinds
# (read once for it and the sections that show or use them), and each other
# case section's own summary. A kind the case has none of (meetings, reviews,
# advice, police notifications, quality audits...) is not read at all: 33
# queries before.
CASE_PAGE_QUERIES = 21
