"""The council's GOV.UK Notify settings: the key is written, never shown."""

from audit.models import Action, AuditEvent
from tests.accounts.test_la_settings import VALID
from tests.notifications.fake_notify import API_KEY, SECRET, TEMPLATE_ID

PAGE = "/accounts/settings/"


def test_the_key_is_saved_and_never_shown_again(client_for, la_admin, la):
    client = client_for(la_admin)
    response = client.post(
        PAGE, dict(VALID, notify_api_key=API_KEY, notify_template_id=TEMPLATE_ID)
    )
    assert response.status_code == 302
    la.refresh_from_db()
    assert (la.notify_api_key, la.notify_template_id) == (API_KEY, TEMPLATE_ID)
    event = AuditEvent.objects.get(action=Action.UPDATE)
    assert {"notify_api_key", "notify_template_id"} <= set(event.changes["fields"])
    assert SECRET not in str(event.changes)

    page = client.get(PAGE).content.decode()
    assert SECRET not in page
    assert "A key is set" in page

    # An empty box keeps the key.
    assert client.post(PAGE, dict(VALID, notify_template_id=TEMPLATE_ID)).status_code == 302
    la.refresh_from_db()
    assert la.notify_api_key == API_KEY

    # Forgetting it is on purpose.
    client.post(PAGE, dict(VALID, notify_template_id=TEMPLATE_ID, stop_using_notify="on"))
    la.refresh_from_db()
    assert la.notify_api_key == ""


def test_a_key_needs_a_template_and_the_right_shape(client_for, la_admin, la):
    client = client_for(la_admin)
    no_template = client.post(PAGE, dict(VALID, notify_api_key=API_KEY)).content.decode()
    assert "Enter the email template ID to use with the key" in no_template
    wrong = client.post(
        PAGE, dict(VALID, notify_api_key="not-a-key", notify_template_id=TEMPLATE_ID)
    ).content.decode()
    assert "Enter the whole API key from GOV.UK Notify" in wrong
    assert "not-a-key" not in wrong  # what was typed is not shown back either
    la.refresh_from_db()
    assert la.notify_api_key == ""
