from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from audit.models import Action, AuditEvent
from notes.models import Attachment, CaseNote
from tests.files import pdf_bytes, pdf_upload
from tests.journey_factories import date_fields

PLAN_PDF = pdf_bytes()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def pdf(name="plan.pdf"):
    return pdf_upload(name, PLAN_PDF)


def test_case_note_is_added_and_shown_in_the_chronology(client_for, involved, episode):
    client = client_for(involved)
    client.post(
        f"/cases/{episode.pk}/notes/new/",
        {
            "kind": "home_visit",
            # Before the request (the chronology puts it first), in any year.
            **date_fields("happened_on", timezone.localdate() - timedelta(days=34)),
            "who": "Mum, the two children",
            "what_happened": "Visited at home; the children were settled.",
        },
    )
    note = CaseNote.objects.get()
    assert (note.author, note.who) == (involved, "Mum, the two children")
    page = client.get(f"/cases/{episode.pk}/")
    assert [e.title for e in page.context["chronology"]] == ["Home visit", "Early help requested"]


@pytest.mark.parametrize(
    ("part", "typed", "message"),
    [
        ("day", "9" * 30, "Date must be a real date"),
        ("month", "²", "Date must be a real date, written in numbers"),
        ("year", "1999", "range"),
    ],
)
def test_an_impossible_note_date_is_explained(client_for, involved, episode, part, typed, message):
    if message == "range":
        year = timezone.localdate().year
        message = f"Date must be between 1 January {year - 5} and 31 December {year + 5}"
    today = timezone.localdate()
    data = {
        "kind": "home_visit",
        # The 1st: a day every month has in every year (not 29 February in 1999).
        "happened_on-day": "1",
        "happened_on-month": str(today.month),
        "happened_on-year": str(today.year),
        "who": "Mum",
        "what_happened": "Visited at home.",
        f"happened_on-{part}": typed,
    }
    response = client_for(involved).post(f"/cases/{episode.pk}/notes/new/", data)

    assert (response.status_code, response.context["form"].errors["happened_on"]) == (
        200,
        [message],
    )
    assert CaseNote.objects.count() == 0


def test_attachment_is_stored_outside_static_and_served_only_through_the_check(
    client_for, involved, other_org, episode, settings, tmp_path
):
    client = client_for(involved)
    client.post(
        f"/cases/{episode.pk}/notes/attachments/new/",
        {"file": pdf(), "kind": "existing_plan", "description": "SEND support plan"},
    )
    attachment = Attachment.objects.get()
    assert attachment.file.path.startswith(str(tmp_path))
    assert "plan.pdf" not in attachment.file.name  # the stored name is random

    response = client.get(f"/cases/{episode.pk}/notes/attachments/{attachment.pk}/")
    assert (response.status_code, b"".join(response.streaming_content)) == (200, PLAN_PDF)
    assert response["Content-Disposition"] == 'attachment; filename="plan.pdf"'
    assert (
        AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(attachment.pk)).count() == 1
    )
    outsider = client_for(other_org).get(f"/cases/{episode.pk}/notes/attachments/{attachment.pk}/")
    assert outsider.status_code == 404


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (
            SimpleUploadedFile("run.exe", b"MZ...", content_type="application/octet-stream"),
            "The file must be a PDF, Word (.docx), OpenDocument (.odt), PNG, JPG or text file",
        ),
        (
            SimpleUploadedFile("fake.pdf", b"MZ not a pdf", content_type="application/pdf"),
            "The file's contents do not match its name (.pdf): save it again in that format and "
            "upload it again",
        ),
        (
            SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf"),
            "The submitted file is empty.",
        ),
    ],
)
def test_bad_files_are_refused_with_what_to_do(client_for, involved, episode, upload, message):
    response = client_for(involved).post(
        f"/cases/{episode.pk}/notes/attachments/new/", {"file": upload, "kind": "letter"}
    )
    assert response.context["form"].errors["file"] == [message]
    assert Attachment.objects.count() == 0


def test_a_file_over_the_limit_is_refused(client_for, involved, episode, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    response = client_for(involved).post(
        f"/cases/{episode.pk}/notes/attachments/new/", {"file": pdf(), "kind": "letter"}
    )
    assert response.context["form"].errors["file"] == ["The file must be smaller than 0 MB"]


def test_the_case_page_shows_the_newest_notes_and_files_and_their_page_all(
    client_for, monkeypatch, involved, episode
):
    """A case held for years has a note a week: the case page shows the
    newest five of each, the notes page every one, a page at a time."""
    from notes import views

    monkeypatch.setattr(views, "PAGE_SIZE", 4)
    today = timezone.localdate()
    for n in range(7):
        CaseNote.objects.create(
            episode=episode,
            kind="home_visit",
            happened_on=today - timedelta(days=10 - n),
            who="Mum",
            what_happened=f"Visit number {n}",
            author=involved,
        )
    case_page = client_for(involved).get(f"/cases/{episode.pk}/").content.decode()
    section = case_page.split("Case notes and files")[1].split("Chronology")[0]
    assert [f"Visit number {n}" in section for n in range(7)] == [False, False] + [True] * 5
    assert section.index("Visit number 6") < section.index("Visit number 2")  # newest first
    assert f'href="/cases/{episode.pk}/notes/"' in section and "See all 7 case notes" in section

    client = client_for(involved)
    first = client.get(f"/cases/{episode.pk}/notes/")
    second = client.get(f"/cases/{episode.pk}/notes/", {"page": "2", "files": "x"})
    shown = [n.what_happened for page in (first, second) for n in page.context["notes"]]
    assert shown == [f"Visit number {n}" for n in reversed(range(7))]
    assert "Case notes 1 to 4 of 7, newest first." in first.content.decode()
    assert AuditEvent.objects.filter(action=Action.VIEW, object_id=str(episode.pk)).count() == 3
