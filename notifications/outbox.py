"""The outbox: every email the service sends is written here in the same
transaction as the change it tells about, and delivered by a task once that
transaction commits. A mail server (or GOV.UK Notify) that fails delays the
email and is tried again with a growing wait; it never turns a saved change
into an error page. An email that still fails after `EMAIL_MAX_ATTEMPTS` is
shown to its council's administrator, who can send it again."""

from __future__ import annotations

import base64
import smtplib
from datetime import datetime, timedelta
from email.mime.base import MIMEBase
from functools import partial
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone

from audit.models import Action
from audit.services import record
from core import councils, policy, retries

from .models import OutgoingEmail

if TYPE_CHECKING:
    from accounts.models import LocalAuthority, User


# How long the record that an email was sent (to, subject, when) is kept.
SENT_KEPT_FOR = timedelta(days=90)


def send_later(message: EmailMessage, *, council: LocalAuthority | None) -> OutgoingEmail:
    """Queue `message` (built as for Django's mail) for delivery after the
    current transaction commits; nothing is sent if it rolls back."""
    email = OutgoingEmail.objects.create(
        local_authority=council,
        recipients=list(message.to),
        subject=str(message.subject),
        body=str(message.body),
        attachments=[_stored(attachment) for attachment in message.attachments],
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email


def send_text_later(number: str, body: str, *, council: LocalAuthority) -> OutgoingEmail:
    """Queue a text message (GOV.UK Notify) as an email is queued."""
    return _queue(OutgoingEmail.Channel.TEXT, council, [number], "", body, [])


def send_letter_later(pdf: bytes, reference: str, *, council: LocalAuthority) -> OutgoingEmail:
    """Queue a letter, a precompiled PDF for GOV.UK Notify to print and post.
    `reference` (Notify's, shown to the administrator) names no one."""
    attachment = {
        "filename": f"{reference}.pdf",
        "mimetype": "application/pdf",
        "content": base64.b64encode(pdf).decode("ascii"),
        "method": "",
    }
    return _queue(OutgoingEmail.Channel.LETTER, council, [], reference, "", [attachment])


def _queue(
    channel: str,
    council: LocalAuthority,
    recipients: list[str],
    subject: str,
    body: str,
    attachments: list[dict[str, str]],
) -> OutgoingEmail:
    message = OutgoingEmail.objects.create(
        channel=channel,
        local_authority=council,
        recipients=recipients,
        subject=subject,
        body=body,
        attachments=attachments,
        next_attempt_at=timezone.now(),
    )
    transaction.on_commit(partial(_enqueue, message.pk))
    return message


def _stored(attachment: MIMEBase | tuple) -> dict[str, str]:
    """A text attachment as JSON; a calendar part keeps its METHOD."""
    if isinstance(attachment, MIMEBase):
        payload = attachment.get_payload(decode=True)
        content = payload.decode(attachment.get_content_charset() or "utf-8")  # type: ignore[union-attr]
        return {
            "filename": attachment.get_filename() or "",
            "mimetype": attachment.get_content_type(),
            "content": content,
            "method": str(attachment.get_param("method") or ""),
        }
    filename, content, mimetype = attachment
    if not isinstance(content, str):
        raise ValueError("The outbox keeps text attachments only")
    return {"filename": filename or "", "mimetype": mimetype, "content": content, "method": ""}


def _enqueue(pk: int, run_after: datetime | None = None) -> None:
    from . import tasks

    task = tasks.deliver_email
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(pk)


def _can_defer() -> bool:
    from . import tasks

    return tasks.deliver_email.get_backend().supports_defer


def describe_error(error: Exception) -> str:
    """What went wrong, for the administrator: the kind of error and a code,
    never the message's text (nor anything the server echoed of it)."""
    name = type(error).__name__
    if isinstance(error, smtplib.SMTPResponseException):
        return f"{name} (mail server code {error.smtp_code})"
    status_code = getattr(error, "status_code", None)
    if isinstance(status_code, int):
        return f"{name} (GOV.UK Notify status {status_code})"
    if isinstance(error, OSError) and error.strerror:
        return f"{name}: {error.strerror}"
    return name


def deliver(pk: int, *, now: datetime | None = None) -> str:
    """One attempt at one queued email that is due; returns its status. The
    row is locked while it is sent, so two workers never send it twice."""
    from . import transports

    # Delivery is the service's own work for every council, not a user's request.
    with councils.across_councils(), transaction.atomic():
        email = (
            OutgoingEmail.objects.select_for_update(of=("self",))
            .select_related("local_authority")
            .filter(pk=pk)
            .first()
        )
        if email is None:
            return "missing"
        now = now or timezone.now()
        due = email.next_attempt_at is None or email.next_attempt_at <= now
        if email.status != OutgoingEmail.Status.QUEUED or not due:
            return email.status
        try:
            transports.send(email)
        except Exception as error:
            email.attempt_failed(
                describe_error(error),
                now,
                max_attempts=settings.EMAIL_MAX_ATTEMPTS,
                first_delay=timedelta(seconds=settings.EMAIL_RETRY_SECONDS),
            )
        else:
            email.sent(now)
        email.save()
        if email.status == OutgoingEmail.Status.QUEUED and _can_defer():
            transaction.on_commit(partial(_enqueue, email.pk, email.next_attempt_at))
        return email.status


def due(now: datetime | None = None) -> QuerySet[OutgoingEmail]:
    return retries.due(OutgoingEmail, now or timezone.now())


def retry_due(now: datetime | None = None) -> dict[str, int]:
    """The retry sweep (core.retries.sweep) over the queued emails, then
    forgets emails sent more than `SENT_KEPT_FOR` ago. Returns how many ended
    in each status."""
    now = now or timezone.now()
    outcome = retries.sweep(OutgoingEmail, deliver, now)
    with councils.across_councils():
        OutgoingEmail.objects.filter(
            status=OutgoingEmail.Status.SENT, sent_at__lt=now - SENT_KEPT_FOR
        ).delete()
    return outcome


def failed_for(user: User) -> QuerySet[OutgoingEmail]:
    """The failed emails of the administrator's own council, newest first."""
    if not policy.can_manage_users(user):
        return OutgoingEmail.objects.none()
    return OutgoingEmail.objects.filter(
        local_authority_id=user.local_authority_id, status=OutgoingEmail.Status.FAILED
    ).order_by("-last_attempt_at", "-pk")


@transaction.atomic
def send_again(
    actor: User, pk: int, request: HttpRequest | None = None, *, now: datetime | None = None
) -> OutgoingEmail:
    """The administrator sends a failed email again: new attempts from now."""
    email = failed_for(actor).select_for_update().filter(pk=pk).first()
    if email is None:
        raise PermissionDenied
    email.queue_again(now or timezone.now())
    email.save(update_fields=["status", "attempts", "next_attempt_at"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=email,
        request=request,
        local_authority=email.local_authority,
        changes={"fields": ["status"]},
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email
