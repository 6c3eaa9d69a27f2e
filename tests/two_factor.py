"""Signing a test client in the way the sign-in pages do: password and second
factor (accounts.middleware signs out a session without its second factor)."""

import time

from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts.security import current_code


def authenticator_for(user):
    """The user's confirmed authenticator app, created if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name="Test authenticator", confirmed=True)
    return device


def sign_in_verified(client, user):
    client.force_login(user)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()
    return client


def code_for(device):
    """The code an authenticator app would show, once the device accepts one:
    a code is accepted once, so a third sign-in within one 30-second step
    waits for the next step."""
    while True:
        device.refresh_from_db()
        now_t = (int(time.time()) - device.t0) // device.step + device.drift
        if device.last_t < now_t + device.tolerance:
            return current_code(device)
        time.sleep(1)
