"""`earlyhelp plan_document`: the same copy of the plan as the copy page makes,
for councils that print in batches; recorded on the copy list and audited as
an export; clear errors for bad input, and nothing recorded then."""

import io

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from audit.models import Action as AuditAction
from audit.models import AuditEvent
from people.models import Relationship
from people.restrictions import restrict
from plans.models import CopyMethod, PlanCopy
from tests.journey_factories import add_member


@pytest.fixture
def parent_b(planned):
    return add_member(
        planned.episode,
        Relationship.PARENT,
        first_name="Blair",
        address_line_1="3 Open Street",
        postcode="NM1 1AA",
        preferred_language="uk",
    )


def run(*args):
    out = io.StringIO()
    call_command("plan_document", *args, stdout=out)
    return out.getvalue()


def test_writes_the_copy_in_their_language_records_it_and_audits_the_export(
    planned, parent_b, involved, tmp_path
):
    restrict(involved, parent_b, field="address", reason="Synthetic: fleeing abuse")
    target = tmp_path / "copy.pdf"

    said = run(planned.episode.reference, "--person", str(parent_b.pk), "--out", str(target))

    reader = PdfReader(io.BytesIO(target.read_bytes()))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert reader.trailer["/Root"]["/Lang"] == "uk"
    assert "План ранньої допомоги" in text
    # Made by no one who may see it: even her own restricted address is left out.
    assert "3 Open Street" not in text and "NM1 1AA" not in text
    copy = PlanCopy.objects.get()
    assert (copy.plan, copy.person, copy.given, copy.method, copy.language, copy.recorded_by) == (
        planned,
        parent_b,
        True,
        CopyMethod.POST,
        "uk",
        None,
    )
    export = AuditEvent.objects.get(action=AuditAction.EXPORT)
    assert (export.actor, export.actor_label, export.object_id, export.changes) == (
        None,
        "command line: plan_document",
        str(planned.pk),
        {"format": "pdf", "recipient": parent_b.pk, "language": "uk", "child_friendly": False},
    )
    assert said == (
        f"{planned.episode.reference}: the plan (version 1, uk) for person {parent_b.pk} "
        f"written to {target}, and recorded on the copy list.\n"
    )


@pytest.mark.parametrize(
    "args, message",
    [
        (["EH999999"], "No case 'EH999999': give a case reference like EH000123."),
        (["not-a-case"], "No case 'not-a-case': give a case reference like EH000123."),
        (["{case}", "--language", "xx"], "--language 'xx' is not one the documents are written in"),
        (["{case}", "--child-friendly"], "The child-friendly plan is for children"),
    ],
)
def test_bad_input_is_explained_and_nothing_is_recorded(planned, parent_b, tmp_path, args, message):
    args = [arg.format(case=planned.episode.reference) for arg in args]

    with pytest.raises(CommandError) as error:
        run(*args, "--person", str(parent_b.pk), "--out", str(tmp_path / "copy.pdf"))

    assert str(error.value).startswith(message)
    assert not PlanCopy.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
    assert not (tmp_path / "copy.pdf").exists()


def test_someone_outside_the_family_is_refused(planned, tmp_path):
    stranger = add_member(planned.episode, Relationship.PARENT, first_name="Stranger")
    stranger.family_memberships.all().delete()

    with pytest.raises(CommandError) as error:
        run(
            planned.episode.reference,
            "--person",
            str(stranger.pk),
            "--out",
            str(tmp_path / "x.pdf"),
        )

    assert str(error.value) == (
        f"Person {stranger.pk} is not a member of the family of {planned.episode.reference}: "
        "the copy is for a family member."
    )


@pytest.mark.parametrize(
    "out, message",
    [
        ("missing/copy.pdf", "No such folder: {tmp}/missing. Create it, or choose another."),
        ("copy.txt", "--out {tmp}/copy.txt must end in .pdf: the copy is a PDF."),
        ("folder.pdf", "--out {tmp}/folder.pdf is a folder: give the path of a file."),
    ],
)
def test_a_path_it_cannot_write_is_explained(planned, parent_b, tmp_path, out, message):
    (tmp_path / "folder.pdf").mkdir()
    with pytest.raises(CommandError) as error:
        run(planned.episode.reference, "--person", str(parent_b.pk), "--out", str(tmp_path / out))
    assert str(error.value) == message.format(tmp=tmp_path)
    assert not PlanCopy.objects.exists()


def test_a_copy_that_cannot_be_written_is_not_recorded(planned, parent_b, tmp_path, monkeypatch):
    def refuse(self, data):
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("pathlib.Path.write_bytes", refuse)
    with pytest.raises(CommandError) as error:
        run(
            planned.episode.reference,
            "--person",
            str(parent_b.pk),
            "--out",
            str(tmp_path / "c.pdf"),
        )
    assert str(error.value) == f"Could not write {tmp_path / 'c.pdf'}: Permission denied."
    assert not PlanCopy.objects.exists()
    assert not AuditEvent.objects.filter(action=AuditAction.EXPORT).exists()
