"""A case held for years has hundreds of events: its page shows the latest,
and the chronology's own page shows every one, a page at a time."""

import datetime

from django.utils import timezone

from audit.models import Action, AuditEvent
from notes.models import CaseNote


def _notes(episode, author, count):
    """`count` case notes, a day apart, the last yesterday: each a row."""
    today = timezone.localdate()
    CaseNote.objects.bulk_create(
        CaseNote(
            local_authority=episode.local_authority,
            episode=episode,
            kind="home_visit",
            happened_on=today - datetime.timedelta(days=count - n),
            what_happened=f"Visit number {n}",
            author=author,
        )
        for n in range(count)
    )


def _details(rows):
    return [entry.detail for entry in rows]


def test_the_case_page_shows_the_latest_events_and_links_to_them_all(
    client_for, monkeypatch, involved, episode
):
    from episodes import views

    monkeypatch.setattr(views, "CASE_PAGE_EVENTS", 5)
    _notes(episode, involved, 7)  # and the request: 8 events
    page = client_for(involved).get(f"/cases/{episode.pk}/")

    # The request is today, after every visit: the last event.
    latest = page.context["latest_events"]
    assert [e.title for e in latest][-1] == "Early help requested"
    assert _details(latest[:-1]) == [f"Visit number {n}" for n in range(3, 7)]
    html = page.content.decode()
    assert "Visit number 1" not in html and "Visit number 6" in html
    assert "The latest 5 of 8 events." in html
    assert f'href="/cases/{episode.pk}/chronology/"' in html


def test_a_short_chronology_is_shown_whole_with_no_link(client_for, involved, episode):
    html = client_for(involved).get(f"/cases/{episode.pk}/").content.decode()
    assert "Early help requested" in html
    assert "/chronology/" not in html


def test_the_chronology_page_shows_every_event_a_page_at_a_time(
    client_for, monkeypatch, involved, episode
):
    from episodes import views

    monkeypatch.setattr(views, "CHRONOLOGY_PAGE_SIZE", 5)
    _notes(episode, involved, 7)
    client = client_for(involved)
    first = client.get(f"/cases/{episode.pk}/chronology/")
    second = client.get(f"/cases/{episode.pk}/chronology/", {"page": "2"})

    seen = [e.title for e in first.context["page"].object_list + second.context["page"].object_list]
    assert seen[0] == "Home visit" and seen[-1] == "Early help requested" and len(seen) == 8
    html = first.content.decode()
    assert "Events 1 to 5 of 8, oldest first." in html and 'href="?page=2"' in html
    # Reading it is a look at the case, audited as one.
    looks = AuditEvent.objects.filter(action=Action.VIEW, object_id=str(episode.pk))
    assert looks.count() == 2
    for hostile in ("0", "-1", "9" * 40, "٣", "a\x00"):
        assert client.get(f"/cases/{episode.pk}/chronology/", {"page": hostile}).status_code == 200
