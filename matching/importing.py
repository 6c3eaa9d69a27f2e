"""Importing people from a legacy system or a list (earlyhelp import_people).

Idempotent by external_id: a row whose external_id the council already holds
is left alone, so running the same file again changes nothing. A row with a
value that cannot be stored is refused whole and written to the error file,
with the column to fix and what a valid value looks like; good rows go in, in batches,
each batch in one transaction with its match keys, so an interrupted import
leaves whole people behind and can simply be run again."""

from dataclasses import dataclass, field

from django.db import connection, transaction
from django.utils import timezone

from audit.models import Action
from audit.services import record
from people.models import Gender, Person

from . import indexing
from .rows import PERSON_COLUMNS, ErrorFile, RowError, person_details, read_rows

BATCH = 2000
_GENDER = {"M": Gender.MALE, "F": Gender.FEMALE, "": Gender.NOT_RECORDED}


@dataclass
class ImportSummary:
    imported: int = 0
    already_held: int = 0
    refused: int = 0
    first_refused: list = field(default_factory=list)  # "line 7: reason", the first few

    def __str__(self):
        return (
            f"{self.imported} imported, {self.already_held} already held (unchanged), "
            f"{self.refused} refused"
        )


class _PersonRows:
    """Person rows for a plain INSERT: every column's stored default worked
    out once, then each row's own values put in. Creating a model instance a
    row would take most of an import's time."""

    def __init__(self, local_authority):
        self.fields = [f for f in Person._meta.concrete_fields if not f.primary_key]
        self.columns = [f.column for f in self.fields]
        template = Person(local_authority=local_authority)
        self.defaults = {
            f.attname: f.get_db_prep_save(f.pre_save(template, add=True), connection)
            for f in self.fields
        }

    def row(self, external_id, details):
        values = dict(self.defaults)
        values.update(
            external_id=external_id,
            first_name=details.first_name,
            last_name=details.last_name,
            date_of_birth=connection.ops.adapt_datefield_value(details.date_of_birth),
            sex=_GENDER[details.sex],
            postcode=details.postcode,
            nhs_number=details.nhs_number,
            upn=details.upn,
            parent_name=details.parent_name,
        )
        return [values[f.attname] for f in self.fields]


def _save_batch(pending, local_authority, rows, source, actor_label):
    """pending: [(external_id, details)]; one transaction for the people and their keys."""
    if not pending:
        return
    with transaction.atomic():
        indexing.insert_rows(
            Person._meta.db_table, rows.columns, [rows.row(e, d) for e, d in pending]
        )
        ids = dict(
            Person.objects.filter(
                local_authority=local_authority, external_id__in=[e for e, _ in pending]
            ).values_list("external_id", "pk")
        )
        indexing.write_profiles((ids[e], local_authority.pk, d) for e, d in pending)
        # One audit event a batch: the people it created, by id.
        record(
            Action.CREATE,
            local_authority=local_authority,
            actor_label=actor_label,
            changes={
                "import": source,
                "people": len(pending),
                "person_ids": sorted(ids.values()),
            },
            reason="import_people",
        )


def import_people(local_authority, path, *, errors_path, progress=None, today=None):
    """Import the CSV at path into the council's register."""
    today = today or timezone.localdate()
    summary = ImportSummary()
    errors = ErrorFile(errors_path, PERSON_COLUMNS)
    held = set(
        Person.objects.filter(local_authority=local_authority)
        .exclude(external_id="")
        .values_list("external_id", flat=True)
    )
    seen_in_file = {}
    pending = []
    rows = _PersonRows(local_authority)
    label = "command line: import_people"
    try:
        for row in read_rows(path, required=("external_id", "first_name", "last_name")):
            if progress is not None:
                progress.update(1)
            external_id = row.get("external_id")
            try:
                if not external_id:
                    raise RowError(
                        "external_id: the source's reference is missing. To fix it: give each "
                        "row the person's id in the system the list comes from",
                        column="external_id",
                    )
                if len(external_id) > 64:
                    raise RowError(
                        f"external_id: '{external_id[:20]}...' is longer than 64 characters. "
                        "To fix it: check the columns are not shifted",
                        column="external_id",
                    )
                if external_id in seen_in_file:
                    raise RowError(
                        f"external_id: {external_id} is also on line "
                        f"{seen_in_file[external_id]}. To fix it: give each person their own "
                        "reference, or remove the repeated row",
                        column="external_id",
                    )
                details = person_details(row, today=today)
            except RowError as error:
                errors.add(row, str(error))
                summary.refused += 1
                continue
            seen_in_file[external_id] = row.line
            if external_id in held:
                summary.already_held += 1
                continue
            pending.append((external_id, details))
            if len(pending) >= BATCH:
                _save_batch(pending, local_authority, rows, str(path), label)
                summary.imported += len(pending)
                pending = []
        _save_batch(pending, local_authority, rows, str(path), label)
        summary.imported += len(pending)
    finally:
        errors.close()
        summary.first_refused = errors.first
    return summary
