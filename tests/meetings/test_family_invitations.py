"""Meeting invitations to family members, in their language: by email, by
text message or letter through GOV.UK Notify for a council that set its key,
or a letter the worker prints; the interpreter is mentioned only when booked,
a restricted address is never written on a letter, and a change or a
cancellation is sent the same way, in the same language."""

import base64
import datetime

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from audit.models import Action, AuditEvent
from core.forms import error_list
from meetings import invitations, services
from meetings.models import Invitee
from notifications import outbox
from notifications.models import OutgoingEmail
from people.models import RestrictableField, Restriction
from tests.journey_factories import add_member
from tests.notifications.fake_notify import API_KEY, TEMPLATE_ID, FakeNotify
from tests.plans.pdf_text import _objects, pdf_text

SMS_TEMPLATE_ID = "0b9c6a3e-5f7d-4d1e-9a4b-2c8e7f1d3a55"
SOON = datetime.timedelta(days=3)


def _arrange(actor, episode, person, channel, contact="", **extra):
    starts = (timezone.localtime() + SOON).replace(hour=10, minute=30, second=0, microsecond=0)
    return services.arrange_meeting(
        actor,
        episode,
        starts_at=starts,
        location="Testshire Family Hub",
        people=[person],
        users=[actor],
        channels={person.pk: (channel, contact)},
        **extra,
    )


@pytest.fixture
def polish_parent(at_meeting):
    return add_member(
        at_meeting,
        first_name="Ola",
        last_name="Testowa",
        preferred_language="pl",
        interpreter_needed=True,
        address_line_1="1 Test Lane",
        town="Testtown",
        postcode="ZZ1 1AA",
    )


@pytest.fixture
def arabic_parent(at_meeting):
    return add_member(
        at_meeting,
        first_name="Sami",
        last_name="Testname",
        preferred_language="ar",
        address_line_1="2 Test Lane",
        town="Testtown",
        postcode="ZZ1 1AB",
    )


@pytest.fixture
def notify(settings, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with FakeNotify() as fake:
        settings.NOTIFY_BASE_URL = fake.base_url
        yield fake


@pytest.fixture
def notify_council(at_meeting):
    la = at_meeting.local_authority
    la.notify_api_key = API_KEY
    la.notify_template_id = TEMPLATE_ID
    la.notify_sms_template_id = SMS_TEMPLATE_ID
    la.save()
    return la


def test_an_email_invitation_in_polish_says_when_where_and_who(
    at_meeting, involved, polish_parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(involved, at_meeting, polish_parent, "email", "ola@test.example")
    (message,) = [m for m in mail.outbox if m.to == ["ola@test.example"]]
    assert message.subject == (
        "Zaproszenie na spotkanie w sprawie wczesnej pomocy dla Państwa rodziny"
    )
    assert "Gdzie: Testshire Family Hub" in message.body
    assert "Kiedy: " in message.body and "o godzinie 10:30" in message.body
    assert "pracownicy z Testshire Primary" in message.body
    assert f"Numer sprawy: {at_meeting.reference}" in message.body
    # No interpreter is booked: the invitation does not promise one.
    assert "tłumacz" not in message.body
    assert Invitee.objects.get(meeting=meeting, person=polish_parent).invitation_sent_at


def test_the_interpreter_is_mentioned_only_when_booked(
    at_meeting, involved, polish_parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(
            involved,
            at_meeting,
            polish_parent,
            "email",
            "ola@test.example",
            interpreter_language="pl",
            interpreter_booked=True,
        )
    (message,) = [m for m in mail.outbox if m.to == ["ola@test.example"]]
    assert "Na spotkaniu będzie obecny tłumacz (język: Polski)." in message.body
    assert (meeting.interpreter_language, meeting.interpreter_booked) == ("pl", True)
    event = AuditEvent.objects.filter(action=Action.CREATE, object_id=str(meeting.pk)).get()
    assert "interpreter_booked" in event.changes["fields"]


def test_a_language_without_a_booked_interpreter_is_not_promised(
    at_meeting, involved, polish_parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        _arrange(
            involved, at_meeting, polish_parent, "email", "ola@test.example",
            interpreter_language="pl", interpreter_booked=False,
        )  # fmt: skip
    (message,) = [m for m in mail.outbox if m.to == ["ola@test.example"]]
    assert "tłumacz" not in message.body


def test_a_booked_interpreter_needs_a_language(at_meeting, involved, polish_parent):
    with pytest.raises(ValidationError) as refused:
        _arrange(involved, at_meeting, polish_parent, "", interpreter_booked=True)
    assert "interpreter_language" in refused.value.message_dict


def test_a_letter_in_arabic_without_notify_is_a_pdf_to_print_right_to_left(
    at_meeting, involved, arabic_parent, client_for, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(involved, at_meeting, arabic_parent, "letter")
    assert OutgoingEmail.objects.filter(channel="letter").count() == 0
    invitee = Invitee.objects.get(meeting=meeting, person=arabic_parent)
    assert invitee.letter_due

    message = invitations.invitation(meeting, invitee, invitations.INVITATION, involved)
    assert message.rtl and message.language == "ar"
    assert message.subject == "دعوة إلى اجتماع بشأن المساعدة المبكرة لعائلتك"
    assert "المكان: Testshire Family Hub" in message.paragraphs
    assert message.address[1:] == ["2 Test Lane", "Testtown", "ZZ1 1AB"]

    client = client_for(involved)
    page = client.get(reverse("meetings:detail", args=[at_meeting.pk, meeting.pk]))
    url = reverse("meetings:letter", args=[at_meeting.pk, meeting.pk, arabic_parent.pk])
    assert "Letters to post" in page.content.decode() and url in page.content.decode()
    response = client.get(url)
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf)
    assert "2 Test Lane" in text
    assert "ZZ1 1AB" in text
    # Arabic script is in the text layer (shaped glyphs map back to letters).
    assert any("\u0600" <= character <= "\u06ff" for character in text)
    invitee.refresh_from_db()
    assert (invitee.letter_due, invitee.letter_printed_at is not None) == (False, True)
    assert AuditEvent.objects.filter(action=Action.EXPORT, object_id=str(meeting.pk)).exists()


def test_a_restricted_address_refuses_the_letter_without_saying_it(
    at_meeting, involved, arabic_parent
):
    Restriction.objects.create(
        person=arabic_parent, field=RestrictableField.ADDRESS, reason="Synthetic",
        created_by=involved,
    )  # fmt: skip
    with pytest.raises(ValidationError) as refused:
        _arrange(involved, at_meeting, arabic_parent, "letter")
    (message,) = refused.value.message_dict[f"channel_{arabic_parent.pk}"]
    assert "address is restricted" in message
    assert "2 Test Lane" not in message
    assert invitations.address_for_letter(arabic_parent, involved) == []


def test_an_address_restricted_after_arranging_is_never_written_on_a_letter(
    at_meeting, involved, arabic_parent, notify, notify_council,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(involved, at_meeting, arabic_parent, "letter")

    def letters():
        return [body for path, body in notify.posted if path == "/v2/notifications/letter"]

    assert len(letters()) == 1
    Restriction.objects.create(
        person=arabic_parent, field=RestrictableField.ADDRESS, reason="Synthetic",
        created_by=involved,
    )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(involved, meeting, reason="The family asked to move it")
    assert len(letters()) == 1  # no cancellation letter to a restricted address


def test_a_text_message_cannot_be_chosen_without_notify(at_meeting, involved, polish_parent):
    with pytest.raises(ValidationError) as refused:
        _arrange(involved, at_meeting, polish_parent, "text", "07700 900 982")
    (message,) = refused.value.message_dict[f"channel_{polish_parent.pk}"]
    assert "GOV.UK Notify" in message


def test_a_text_message_goes_through_notify_in_the_family_language(
    at_meeting, involved, polish_parent, notify, notify_council,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        _arrange(involved, at_meeting, polish_parent, "text", "07700 900 982")
    assert notify.refused_tokens == 0
    (posted,) = [body for path, body in notify.posted if path == "/v2/notifications/sms"]
    assert posted["phone_number"] == "07700 900 982"
    assert posted["template_id"] == SMS_TEMPLATE_ID
    assert "Gdzie: Testshire Family Hub" in posted["personalisation"]["body"]
    assert OutgoingEmail.objects.get(channel="text").status == OutgoingEmail.Status.SENT


def test_a_letter_goes_through_notify_as_a_precompiled_pdf(
    at_meeting, involved, arabic_parent, notify, notify_council,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(involved, at_meeting, arabic_parent, "letter")
    (posted,) = [body for path, body in notify.posted if path == "/v2/notifications/letter"]
    pdf = base64.b64decode(posted["content"])
    assert pdf.startswith(b"%PDF") and "ZZ1 1AB" in pdf_text(pdf)
    assert posted["reference"] == f"{at_meeting.reference}-{meeting.pk}-0"
    assert services.letters_to_post(meeting) == []  # Notify posts it


def test_a_failed_text_message_is_shown_to_the_administrator_as_emails_are(
    at_meeting, involved, la_admin, polish_parent, notify, notify_council, settings,
    client_for, django_capture_on_commit_callbacks,
):  # fmt: skip
    settings.EMAIL_MAX_ATTEMPTS = 1
    notify_council.notify_api_key = API_KEY[:-4] + "0000"
    notify_council.save()
    with django_capture_on_commit_callbacks(execute=True):
        _arrange(involved, at_meeting, polish_parent, "text", "07700 900 982")
    failed = OutgoingEmail.objects.get(channel="text")
    assert (failed.status, failed.last_error) == (
        OutgoingEmail.Status.FAILED,
        "HTTPError (GOV.UK Notify status 403)",
    )
    assert failed in outbox.failed_for(la_admin)
    page = client_for(la_admin).get(reverse("notifications:failed_emails")).content.decode()
    assert "Text message" in page and "07700 900 982" in page


def test_a_change_and_a_cancellation_are_sent_in_the_same_language(
    at_meeting, involved, polish_parent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = _arrange(involved, at_meeting, polish_parent, "email", "ola@test.example")
    later = meeting.starts_at + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.reschedule_meeting(
            involved, meeting, starts_at=later, location="Testshire Library",
            interpreter_language="pl", interpreter_booked=True,
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        services.cancel_meeting(involved, meeting, reason="The family asked to move it")
    subjects = [m.subject for m in mail.outbox if m.to == ["ola@test.example"]]
    assert subjects == [
        "Zaproszenie na spotkanie w sprawie wczesnej pomocy dla Państwa rodziny",
        "Spotkanie w sprawie wczesnej pomocy dla Państwa rodziny zostało zmienione",
        "Spotkanie w sprawie wczesnej pomocy dla Państwa rodziny zostało odwołane",
    ]
    change, cancellation = [m.body for m in mail.outbox if m.to == ["ola@test.example"]][1:]
    assert "Gdzie: Testshire Library" in change and "tłumacz" in change
    # The reason for cancelling stays in the service.
    assert "zostało odwołane" in cancellation and "asked to move" not in cancellation


@pytest.mark.parametrize("language", ["pl", "ar", "ps", "ro", "uk"])
def test_every_line_of_the_invitation_is_translated(language, at_meeting, involved, polish_parent):
    polish_parent.preferred_language = language
    polish_parent.save()
    meeting = _arrange(
        involved, at_meeting, polish_parent, "", interpreter_language=language,
        interpreter_booked=True,
    )  # fmt: skip
    invitee = Invitee.objects.select_related("person").get(meeting=meeting, person=polish_parent)
    for kind in (invitations.INVITATION, invitations.UPDATE, invitations.CANCELLATION):
        invitee.person.preferred_language = language
        translated = invitations.invitation(meeting, invitee, kind, involved)
        invitee.person.preferred_language = "en"
        original = invitations.invitation(meeting, invitee, kind, involved)
        assert translated.language == language
        assert translated.subject != original.subject
        assert translated.council != original.council
        for line, english_line in zip(translated.paragraphs, original.paragraphs, strict=True):
            assert line != english_line, (language, kind, line)


def test_the_arrange_page_warns_when_no_interpreter_is_booked(
    at_meeting, involved, polish_parent, client_for
):
    client = client_for(involved)
    page = client.get(reverse("meetings:arrange", args=[at_meeting.pk])).content.decode()
    assert "Ola Testowa needs an interpreter" in page
    response = client.post(
        reverse("meetings:arrange", args=[at_meeting.pk]),
        {
            "date-day": str((timezone.localdate() + SOON).day),
            "date-month": str((timezone.localdate() + SOON).month),
            "date-year": str((timezone.localdate() + SOON).year),
            "time": "10:00",
            "duration_minutes": "60",
            "location": "Testshire Family Hub",
            "people": [str(polish_parent.pk)],
            "users": [str(involved.pk)],
            f"channel_{polish_parent.pk}": "text",
            f"contact_{polish_parent.pk}": "07700 900 982",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert any("GOV.UK Notify" in item["text"] for item in error_list(form))


def test_the_meeting_page_shows_the_interpreter_and_warns_when_none_is_booked(
    at_meeting, involved, polish_parent, client_for
):
    meeting = _arrange(involved, at_meeting, polish_parent, "", interpreter_language="pl")
    client = client_for(involved)
    url = reverse("meetings:detail", args=[at_meeting.pk, meeting.pk])
    page = client.get(url).content.decode()
    assert "Polish: not booked yet" in page
    assert "No interpreter is booked, and Ola Testowa needs one" in page
    meeting.interpreter_booked = True
    meeting.save()
    page = client.get(url).content.decode()
    assert "Polish: booked" in page
    assert "No interpreter is booked" not in page


def test_a_letter_that_is_not_one_to_post_sends_back_to_the_meeting(
    at_meeting, involved, polish_parent, client_for
):
    meeting = _arrange(involved, at_meeting, polish_parent, "email", "ola@test.example")
    url = reverse("meetings:letter", args=[at_meeting.pk, meeting.pk, polish_parent.pk])
    response = client_for(involved).get(url)
    assert response.status_code == 302
    assert response["Location"] == reverse("meetings:detail", args=[at_meeting.pk, meeting.pk])


@pytest.mark.parametrize(("language", "direction"), [("ps", "rtl"), ("ar", "rtl"), ("uk", "ltr")])
def test_the_letter_is_written_in_the_language_and_its_direction(
    language, direction, at_meeting, involved, arabic_parent
):
    arabic_parent.preferred_language = language
    arabic_parent.save()
    meeting = _arrange(involved, at_meeting, arabic_parent, "letter")
    invitee = Invitee.objects.select_related("person").get(meeting=meeting, person=arabic_parent)
    message = invitations.invitation(meeting, invitee, invitations.INVITATION, involved)
    html = render_to_string("meetings/invitation_letter.html", {"letter": message})
    assert f'<html lang="{language}" dir="{direction}">' in html
    catalog = [head for head, _data in _objects(invitations.letter_pdf(message)).values()]
    assert any(f"/Lang ({language})" in head and "/Marked true" in head for head in catalog)
