import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from accounts.models import LocalAuthority
from audit.models import AuditEvent


def test_create_local_authority_uses_the_defaults_and_is_idempotent(db, capsys):
    call_command("create_local_authority", "midshire", "Midshire Council")
    call_command("create_local_authority", "midshire", "Midshire Council")

    out = capsys.readouterr().out.splitlines()
    assert out == [
        "Created local authority midshire: Midshire Council",
        "Local authority midshire already exists: nothing changed.",
    ]
    la = LocalAuthority.objects.get()
    assert (la.upper_age, la.upper_age_send, la.review_interval_weeks, la.meeting_name) == (
        18,
        25,
        8,
        "taf",
    )
    assert AuditEvent.objects.count() == 1


def test_create_local_authority_does_not_rename_silently(db, capsys):
    call_command("create_local_authority", "midshire", "Midshire Council")
    call_command("create_local_authority", "midshire", "Other Name")

    assert capsys.readouterr().out.splitlines()[-1] == (
        "Local authority midshire already exists as 'Midshire Council': nothing changed "
        "(the name was not updated)."
    )


def test_create_local_authority_explains_a_bad_slug(db):
    with pytest.raises(CommandError) as error:
        call_command("create_local_authority", "mid shire!", "Midshire Council")
    assert "A slug uses only letters, numbers, hyphens and underscores." in str(error.value)
    assert LocalAuthority.objects.count() == 0


def test_demo_data_is_refused_when_debug_is_off(db, settings):
    settings.DEBUG = False
    with pytest.raises(CommandError) as error:
        call_command("demo_data")
    assert str(error.value).startswith("Demo data is for development only and DEBUG is off.")
    assert LocalAuthority.objects.count() == 0


# The command loading the demo (and refusing to load it twice): tests/core/test_demo.py,
# which loads it once for all its tests.
