"""An email backend whose mail server is down, for the outbox tests."""

import smtplib

from django.core.mail.backends.base import BaseEmailBackend


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


class UnavailableBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"Try again later, to new.person@test.example")
