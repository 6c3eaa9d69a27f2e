"""Sending a queued email, text message or letter through GOV.UK Notify, for
a council that set its API key. A text message uses the council's text
message template, whose message is `((body))`; a letter is sent as a
precompiled PDF (the same PDF the worker would print). An email uses one
template, whose subject must be `((subject))` and message `((body))`. Notify cannot attach a
calendar file to an email: the message says where to download it."""

from __future__ import annotations

import base64
import io
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils.translation import gettext as _
from notifications_python_client.notifications import NotificationsAPIClient

if TYPE_CHECKING:
    from accounts.models import LocalAuthority

    from .models import OutgoingEmail


def body_for_notify(email: OutgoingEmail) -> str:
    if not email.attachments:
        return email.body
    return (
        email.body
        + "\n"
        + _(
            "GOV.UK Notify cannot attach calendar files. Download the calendar invitation "
            "from the meeting's page in Early Help.\n"
        )
    )


def send(email: OutgoingEmail, council: LocalAuthority) -> None:
    """One call a recipient; raises on the first that fails, having kept in
    `email.delivered_to` those already sent, so a retry sends to the rest."""
    client = NotificationsAPIClient(council.notify_api_key, base_url=settings.NOTIFY_BASE_URL)
    personalisation = {"subject": email.subject, "body": body_for_notify(email)}
    for address in email.recipients:
        if address in email.delivered_to:
            continue
        client.send_email_notification(
            email_address=address,
            template_id=council.notify_template_id,
            personalisation=personalisation,
        )
        email.delivered_to = [*email.delivered_to, address]


def send_text(message: OutgoingEmail, council: LocalAuthority) -> None:
    """A text message to each number, one call each, as for an email."""
    client = NotificationsAPIClient(council.notify_api_key, base_url=settings.NOTIFY_BASE_URL)
    for number in message.recipients:
        if number in message.delivered_to:
            continue
        client.send_sms_notification(
            phone_number=number,
            template_id=council.notify_sms_template_id,
            personalisation={"body": message.body},
        )
        message.delivered_to = [*message.delivered_to, number]


def send_letter(message: OutgoingEmail, council: LocalAuthority) -> None:
    """The letter's PDF, precompiled: Notify prints and posts it to the address
    printed in its address block."""
    client = NotificationsAPIClient(council.notify_api_key, base_url=settings.NOTIFY_BASE_URL)
    for attachment in message.attachments:
        if attachment["filename"] in message.delivered_to:
            continue
        pdf = io.BytesIO(base64.b64decode(attachment["content"]))
        client.send_precompiled_letter_notification(reference=message.subject, pdf_file=pdf)
        message.delivered_to = [*message.delivered_to, attachment["filename"]]
