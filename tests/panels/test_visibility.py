"""Panel members see the cases on an open panel's agenda, read-only, and no
longer once the panel is closed (core.policy.episodes_visible_to)."""

import re

import pytest

from audit.models import Action, AuditEvent
from panels import services
from referrals.services import refer_to_panel
from tests.factories import EpisodeFactory, UserFactory
from tests.journey import render_case_section
from tests.journey_factories import plan_actions
from tests.panels.conftest import NEXT_WEEK

WRITES = (Action.CREATE, Action.UPDATE, Action.DELETE, Action.OVERRIDE)


def case_links(html, episode):
    """Every link and form target on a page that leads into the case."""
    prefix = f"/cases/{episode.pk}/"
    return {
        target.removeprefix(prefix)
        for target in re.findall(r'(?:href|action)="([^"]+)"', html)
        if target.startswith(prefix)
    }


def writes_by(user):
    return AuditEvent.objects.filter(actor=user, action__in=WRITES).count()


def test_a_member_sees_the_agenda_on_their_home_page(client_for, on_agenda, member):
    response = client_for(member).get("/")

    html = response.content.decode()
    assert [list(panel.agenda_items.all()) for panel in response.context["panels_sat_on"]] == [
        [on_agenda]
    ]
    assert "Panels you sit on" in html
    assert f'href="/cases/{on_agenda.episode_id}/"' in html


def test_a_member_reads_the_case_and_its_pages_while_the_panel_is_open(
    client_for, planned, on_agenda, member
):
    episode = on_agenda.episode
    client = client_for(member)
    base = f"/cases/{episode.pk}/"

    case = client.get(base)
    reads = [
        client.get(f"{base}{page}").status_code
        for page in ("plan/", "plan/versions/", "assessment/", "meetings/", "reviews/")
    ]

    assert (case.status_code, case.context["can_work"], reads) == (200, False, [200] * 5)
    assert case.context["chronology"]
    assessment = client.get(f"{base}assessment/")
    assert [t.name for t in assessment.templates][0] == "assessments/assessment_view.html"


def test_the_case_page_offers_a_member_no_work_on_the_case(
    client_for, planned, on_agenda, member, involved, referral
):
    episode = on_agenda.episode
    as_member = case_links(
        client_for(member).get(f"/cases/{episode.pk}/").content.decode(), episode
    )
    as_team = case_links(
        client_for(involved).get(f"/cases/{episode.pk}/").content.decode(), episode
    )

    work = {
        "consent/",
        "close/",
        "plan/change/",
        "plan/copies/",
        "notes/new/",
        "notes/attachments/new/",
    }
    assert work <= as_team  # the same page offers the team its work
    assert as_member & work == set()
    # What is left: reading, and the referral to children's social care that
    # anyone who can see a case may make (policy.can_step_up).
    assert as_member == {
        "assessment/",
        "plan/",
        f"referrals/{referral.pk}/",
        "referrals/step-up/",
    }


def test_no_page_that_records_work_accepts_a_member(client_for, planned, on_agenda, member, child):
    episode = on_agenda.episode
    client = client_for(member)
    base = f"/cases/{episode.pk}/"
    action = plan_actions(planned)[0]
    work_pages = [
        "plan/agree/",
        "plan/change/",
        f"plan/actions/{action.pk}/status/",
        f"plan/copies/{child.pk}/",
        "meetings/new/",
        "meetings/team/",
        "reviews/new/",
    ]
    posts = {
        "consent/": {
            "person": str(child.pk),
            "purpose": "assessment",
            "decision": "yes",
            "method": "in_person",
            "given_on-day": "1",
            "given_on-month": "1",
            "given_on-year": "2025",
        },
        "notes/new/": {
            "kind": "home_visit",
            "happened_on-day": "1",
            "happened_on-month": "1",
            "happened_on-year": "2025",
            "who": "Family",
            "what_happened": "Visit",
        },
        "close/": {"reason": "needs_met"},
        f"plan/actions/{action.pk}/status/": {"status": "done", "edit_version": "1"},
        f"plan/copies/{child.pk}/": {"given": "no", "reason_not_given": "Too young"},
    }

    gets = [client.get(f"{base}{page}").status_code for page in work_pages]
    posted = [client.post(f"{base}{page}", data).status_code for page, data in posts.items()]

    assert (gets, posted) == ([403] * len(work_pages), [403] * len(posts))
    assert writes_by(member) == 0
    assert [a.status for a in plan_actions(planned)] == ["not_started", "not_started"]


def test_a_member_posting_to_the_assessment_is_refused_whatever_was_posted(
    client_for, planned, on_agenda, member
):
    episode = on_agenda.episode
    child = episode.children.first()
    client = client_for(member)
    base = f"/cases/{episode.pk}/assessment/"
    statuses = [
        client.post(f"{base}{page}", data).status_code
        for page in ("family-story/", f"children/{child.pk}/")
        for data in ({}, {"version": "x"}, {"version": "1", "family_story": "Theirs"})
    ]
    assert statuses == [403] * 6
    assert writes_by(member) == 0


def test_the_case_page_names_files_to_a_member_without_links_that_would_refuse_them(
    client_for, on_agenda, member, involved
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from notes.services import add_attachment
    from tests.files import pdf_bytes

    episode = on_agenda.episode
    file = add_attachment(
        involved,
        episode,
        upload=SimpleUploadedFile("letter.pdf", pdf_bytes(), "application/pdf"),
        kind="letter",
    )
    link = f'href="/cases/{episode.pk}/notes/attachments/{file.pk}/"'
    as_member = client_for(member).get(f"/cases/{episode.pk}/").content.decode()
    as_team = client_for(involved).get(f"/cases/{episode.pk}/").content.decode()
    assert ("letter.pdf" in as_member, link in as_member, link in as_team) == (True, False, True)


def test_the_case_section_shows_the_open_panel_then_its_decision(on_agenda, coordinator):
    date = NEXT_WEEK.strftime("%-d %B %Y")
    waiting = render_case_section("panels", on_agenda.episode)

    services.record_outcome(coordinator, on_agenda, outcome="Allocate a family support worker.")
    services.close_panel(coordinator, on_agenda.panel)
    decided = render_case_section("panels", on_agenda.episode)

    assert f"On the agenda of the panel on {date}." in waiting
    assert f"The panel on {date} decided:" in decided
    assert "Allocate a family support worker." in decided


def test_the_case_section_is_empty_when_the_case_was_never_on_a_panel(episode):
    assert "Early Help and Family Support Panel" not in render_case_section("panels", episode)


def test_the_case_page_links_managers_to_the_panel(client_for, on_agenda, manager, member):
    link = f'href="/panels/{on_agenda.panel_id}/"'
    as_manager = client_for(manager).get(f"/cases/{on_agenda.episode_id}/").content.decode()
    as_member = client_for(member).get(f"/cases/{on_agenda.episode_id}/").content.decode()
    assert (link in as_manager, link in as_member) == (True, False)


def test_once_the_panel_closes_the_member_no_longer_sees_the_case(
    client_for, planned, on_agenda, member, coordinator
):
    episode = on_agenda.episode
    services.record_outcome(coordinator, on_agenda, outcome="Continue with the plan.")
    services.close_panel(coordinator, on_agenda.panel)
    client = client_for(member)

    statuses = [
        client.get(f"/cases/{episode.pk}/{page}").status_code
        for page in ("", "plan/", "assessment/", "reviews/")
    ]
    home = client.get("/")

    assert statuses == [404] * 4
    assert list(home.context["panels_sat_on"]) == []
    assert "Panels you sit on" not in home.content.decode()
    denied = AuditEvent.objects.filter(actor=member, action=Action.PERMISSION_DENIED)
    assert denied.count() == 4


def test_a_removed_member_no_longer_sees_the_case(client_for, on_agenda, member, coordinator):
    services.remove_member(coordinator, on_agenda.panel, member)
    assert client_for(member).get(f"/cases/{on_agenda.episode_id}/").status_code == 404


def test_a_member_of_another_panel_does_not_see_the_case(client_for, on_agenda, coordinator, la):
    elsewhere = services.arrange_panel(coordinator, meets_on=NEXT_WEEK)
    someone = UserFactory(local_authority=la)
    services.add_member(coordinator, elsewhere, someone)
    client = client_for(someone)

    assert client.get(f"/cases/{on_agenda.episode_id}/").status_code == 404
    assert [list(p.agenda_items.all()) for p in client.get("/").context["panels_sat_on"]] == [[]]


@pytest.mark.parametrize("count", [1, 3])
def test_home_page_queries_do_not_grow_with_the_panels_sat_on(
    client_for, coordinator, member, la, involved, count, django_assert_num_queries
):
    for _n in range(count):
        panel = services.arrange_panel(coordinator, meets_on=NEXT_WEEK)
        services.add_member(coordinator, panel, member)
        case = EpisodeFactory(local_authority=la, requested_by=involved)
        refer_to_panel(involved, case, concern="No lead professional can be found.")
        services.add_to_agenda(coordinator, panel, case)
    client = client_for(member)
    client.get("/")
    # session, user with its LA, two-factor device, roles, organisations; open
    # cases (count) and my cases (list); notifications;
    # panels sat on, their agendas (with case and family); districts; work owed;
    # may ask for early help; police notifications for a key adult; six-month
    # outcome checks owed
    with django_assert_num_queries(14):
        response = client.get("/")
    assert response.content.decode().count('govuk-table__caption--s">Panel on') == count
