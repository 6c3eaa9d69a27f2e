"""How a queued email leaves the service: Django's email backend (SMTP by
default), or GOV.UK Notify when its council has set an API key."""

from __future__ import annotations

from email.mime.text import MIMEText

from django.core.mail import EmailMessage

from .models import OutgoingEmail


def send(email: OutgoingEmail) -> None:
    """Send, or raise: the caller counts an exception as a failed attempt."""
    council = email.local_authority
    if email.channel != OutgoingEmail.Channel.EMAIL:
        # Text messages and letters leave through GOV.UK Notify only.
        if council is None or not council.notify_api_key:
            raise RuntimeError("GOV.UK Notify is not configured for this council")
        from . import notify

        if email.channel == OutgoingEmail.Channel.TEXT:
            notify.send_text(email, council)
        else:
            notify.send_letter(email, council)
        return
    if council is not None and council.notify_api_key:
        from . import notify

        notify.send(email, council)
        return
    as_django_message(email).send(fail_silently=False)


def as_django_message(email: OutgoingEmail) -> EmailMessage:
    message = EmailMessage(email.subject, email.body, email.from_email, list(email.recipients))
    for attachment in email.attachments:
        _maintype, _slash, subtype = attachment["mimetype"].partition("/")
        part = MIMEText(attachment["content"], subtype or "plain", "utf-8")
        if attachment.get("method"):
            part.set_param("method", attachment["method"])
        part.add_header("Content-Disposition", "attachment", filename=attachment["filename"])
        message.attach(part)
    return message
