import json

import pytest
from django.core.management import CommandError, call_command

from audit.models import Action, AuditEvent
from tests.factories import PersonFactory


def run(*args):
    from io import StringIO

    out = StringIO()
    call_command("subject_access", *[str(a) for a in args], stdout=out)
    return out.getvalue()


def test_writes_the_copy_as_a_manager(case, manager, tmp_path):
    out = tmp_path / "copy.json"

    said = run(case.child.pk, "--as", manager.email, "--format", "json", "--out", out)

    assert json.loads(out.read_text())["subject"]["record"]["first_name"] == "Quillon"
    assert said.startswith(f"Wrote the subject access copy of person {case.child.pk} (json, ")
    assert "Quillon" not in said
    event = AuditEvent.objects.get(action=Action.EXPORT)
    assert (event.actor, event.object_id, event.changes) == (
        manager,
        str(case.child.pk),
        {"format": "json"},
    )


def test_writes_a_pdf(case, manager, tmp_path):
    out = tmp_path / "copy.pdf"
    run(case.child.pk, "--as", manager.email.upper(), "--format", "pdf", "--out", out)
    assert out.read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("as_user", "message"),
    [
        (
            "nobody@test.example",
            "No user with the email address nobody@test.example: give the email address of "
            "an early help manager (--as).",
        ),
        (
            "eho",
            "eho@test.example is not an early help manager: only managers may make a subject "
            "access copy. Run it as a manager of the person's council, or ask the council's "
            "administrator to give this account the manager role.",
        ),
    ],
)
def test_refuses_who_may_not(request, case, tmp_path, as_user, message):
    email = request.getfixturevalue(as_user).email if "@" not in as_user else as_user
    out = tmp_path / "copy.json"
    with pytest.raises(CommandError) as refused:
        run(case.child.pk, "--as", email, "--format", "json", "--out", out)
    assert (str(refused.value), refused.value.returncode) == (message, 1)
    assert not out.exists()
    assert not AuditEvent.objects.filter(action=Action.EXPORT).exists()


def test_refuses_a_deactivated_manager(case, manager, tmp_path):
    manager.is_active = False
    manager.save()
    with pytest.raises(CommandError, match="^The account manager@test.example is deactivated"):
        run(case.child.pk, "--as", manager.email, "--format", "json", "--out", tmp_path / "c")


def test_refuses_a_person_of_another_council(case, other_la_manager, tmp_path):
    with pytest.raises(CommandError) as refused:
        run(
            case.child.pk,
            "--as",
            other_la_manager.email,
            "--format",
            "json",
            "--out",
            tmp_path / "c",
        )
    assert str(refused.value) == (
        f"No person {case.child.pk} in Otherton Council: check the number (it is in the "
        f"person's page address, /people/{case.child.pk}/). A manager can make copies only "
        "for people in their own council."
    )
    denied = AuditEvent.objects.get(action=Action.PERMISSION_DENIED)
    assert (denied.actor, denied.object_id) == (other_la_manager, str(case.child.pk))


def test_refuses_an_unknown_person(manager, tmp_path):
    with pytest.raises(CommandError, match=r"^No person 999999 in Testshire Council: check"):
        run(999999, "--as", manager.email, "--format", "json", "--out", tmp_path / "c")


def test_refuses_to_overwrite_or_write_nowhere(la, manager, tmp_path):
    person = PersonFactory(local_authority=la)
    existing = tmp_path / "there.json"
    existing.write_text("keep me")
    with pytest.raises(CommandError) as refused:
        run(person.pk, "--as", manager.email, "--format", "json", "--out", existing)
    assert str(refused.value) == (
        f"{existing} already exists: choose a new file name, or remove it first."
    )
    assert existing.read_text() == "keep me"
    missing = tmp_path / "no-folder" / "copy.json"
    with pytest.raises(CommandError) as refused:
        run(person.pk, "--as", manager.email, "--format", "json", "--out", missing)
    assert str(refused.value) == f"The folder {missing.parent} does not exist: create it first."
