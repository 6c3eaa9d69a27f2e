"""Merging two records of one person, and undoing a merge.

A merge is always a reviewer's decision (matching.duplicates lists the
pairs). Everything that pointed at the merged record (family memberships,
the children of an episode, consents, assessment and meeting records, plan
copies, restrictions) is pointed at the kept one. Where the kept record
already has the same (both in one family), the merged record's row is
deleted instead, its values kept. Blank details of the kept record are
filled from the merged one. The merged record itself stays, hidden, with
`merged_into` set, and the PersonMerge row lists every change so that
undo_merge can put each back exactly.

Refused: records of different councils, a record into itself, a record
already merged, and records with different NHS numbers (which say they
are different people)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from datetime import date
from typing import TYPE_CHECKING, Any, TypedDict

from django.core import serializers
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import router, transaction
from django.db.models import Field, ForeignObjectRel
from django.db.models.deletion import Collector
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.models import Action
from audit.services import record
from core import policy
from core.codes import Ethnicity, Gender
from people.models import RESTRICTABLE_MODEL_FIELDS, FamilyMember, Person, RestrictableField

from . import indexing
from .details import digits
from .models import PersonMerge, PossibleDuplicate

if TYPE_CHECKING:
    from django.core.serializers.base import DeserializedObject
    from django.db.models import ForeignObject, Model
    from django.http import HttpRequest

    from accounts.models import User


class MovedRow(TypedDict):
    """A row the merge pointed at the kept record (PersonMerge.moved)."""

    model: str
    pk: int
    field: str


class RemovedRow(TypedDict):
    """A row the merge deleted, serialised to be put back (PersonMerge.removed)."""

    model: str
    pk: int
    values: dict[str, Any]  # the row's fields as Django's JSON serialiser writes them


# Details filled on the kept record where it has none, each group as a whole
# (half of one address and half of another is nobody's address).
FILLED_GROUPS = (
    ("middle_names",),
    ("known_as",),
    ("date_of_birth", "expected_date_of_birth"),
    ("sex",),
    ("gender_identity",),
    ("ethnicity",),
    ("disabilities",),
    ("address_line_1", "address_line_2", "town", "postcode"),
    ("nhs_number",),
    ("upn",),
)
# Values that mean "not recorded".
_UNRECORDED = {"sex": Gender.NOT_RECORDED, "ethnicity": Ethnicity.NOBT}


def person_references() -> Iterator[tuple[type[Model], ForeignObject[Any, Any]]]:
    """(model, field) of every foreign key to Person, except matching's own
    tables (rebuilt from the people) and the merge link itself."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if (
            not isinstance(relation, ForeignObjectRel)
            or not relation.auto_created
            or relation.concrete
            or relation.many_to_many
        ):
            continue
        model = relation.related_model
        # A model named as a string ("self") is only seen before Django has
        # loaded the apps; by now every relation points at its class.
        if isinstance(model, str) or model is Person or model._meta.app_label == "matching":
            continue
        yield model, relation.field


def merge_problem(kept: Person, merged: Person) -> str | None:
    """Why these two records may not be merged, or None."""
    if kept.pk == merged.pk:
        return _("A record cannot be merged into itself.")
    if kept.local_authority_id != merged.local_authority_id:
        return _(
            "These records belong to different councils. A record can only be merged "
            "with another record of the same council."
        )
    for person in (kept, merged):
        if person.merged_into_id is not None:
            return _(
                "%(name)s's record was already merged into another record. Compare that "
                "record instead, or undo the earlier merge first."
            ) % {"name": person.full_name}
    kept_nhs, merged_nhs = digits(kept.nhs_number), digits(merged.nhs_number)
    if kept_nhs and merged_nhs and kept_nhs != merged_nhs:
        return _(
            "These records have different NHS numbers, so they are probably different "
            "people. If one of the numbers is wrong, correct it on that record first (ask "
            "the lead professional if it is restricted), then merge."
        )
    return None


def _pair(
    duplicate_or_pair: PossibleDuplicate | Iterable[Person],
) -> tuple[PossibleDuplicate | None, Person, Person]:
    """(PossibleDuplicate or None, person, person) from either form."""
    if isinstance(duplicate_or_pair, PossibleDuplicate):
        return duplicate_or_pair, duplicate_or_pair.first, duplicate_or_pair.second
    first, second = sorted(duplicate_or_pair, key=lambda person: person.pk)
    duplicate = PossibleDuplicate.objects.filter(first=first, second=second).first()
    return duplicate, first, second


def _require_reviewer(actor: User, *people: Person) -> None:
    reviewable = policy.people_reviewable_for_duplicates(actor, merged_too=True)
    ids = {person.pk for person in people}
    if reviewable.filter(pk__in=ids).count() != len(ids):
        raise PermissionDenied


def _label(model: type[Model]) -> str:
    return model._meta.label_lower


def _clashes(row: Model) -> bool:
    """Would `row`, as it now is, break a unique rule of its table?"""
    try:
        row.validate_unique()
        row.validate_constraints()
    except ValidationError:
        return True
    return False


def _serialised(row: Model) -> RemovedRow:
    entry = json.loads(serializers.serialize("json", [row]))[0]
    return {"model": entry["model"], "pk": entry["pk"], "values": entry["fields"]}


def _deserialised(entry: RemovedRow) -> DeserializedObject:
    data = [{"model": entry["model"], "pk": entry["pk"], "fields": entry["values"]}]
    return next(iter(serializers.deserialize("json", json.dumps(data))))


def _deletes_only(row: Model) -> bool:
    """Deleting `row` removes nothing else (no cascade, nothing protected)."""
    collector = Collector(using=router.db_for_write(type(row)))
    try:
        collector.collect([row])
    except Exception:  # noqa: BLE001  (protected or restricted: it has dependants)
        return False
    others = sum(len(rows) for rows in collector.data.values()) - 1
    return others == 0 and not any(qs.exists() for qs in collector.fast_deletes)


def _move_references(kept: Person, merged: Person) -> tuple[list[MovedRow], list[RemovedRow]]:
    """Point every row at the kept record; returns (moved, removed)."""
    moved: list[MovedRow] = []
    removed: list[RemovedRow] = []
    for model, field in person_references():
        manager = model._base_manager
        for row in manager.filter(**{field.attname: merged.pk}).order_by("pk"):
            setattr(row, field.attname, kept.pk)
            if not _clashes(row):
                manager.filter(pk=row.pk).update(**{field.attname: kept.pk})
                moved.append({"model": _label(model), "pk": row.pk, "field": field.name})
                continue
            setattr(row, field.attname, merged.pk)
            if not _deletes_only(row):
                raise ValidationError(
                    _(
                        "Both records have a %(what)s that cannot be combined. Ask the "
                        "lead professional to correct the records by hand."
                    )
                    % {"what": model._meta.verbose_name}
                )
            removed.append(_serialised(row))
            row.delete()
    return moved, removed


def _restricted_fields(*people: Person) -> set[str]:
    return {
        name
        for person in people
        for restriction in person.restrictions.filter(lifted_at__isnull=True)
        for name in RESTRICTABLE_MODEL_FIELDS[RestrictableField(restriction.field)]
    }


def _is_blank(name: str, value: object) -> bool:
    return value in (None, "", []) or _UNRECORDED.get(name) == value


def _json_value(value: object) -> object:
    return value.isoformat() if isinstance(value, date) else value


def _fill_blanks(kept: Person, merged: Person, restricted: set[str]) -> dict[str, object]:
    """Copy the merged record's details where the kept one has none; returns
    {field: the kept record's value before}. Restricted details are left
    alone: nobody copies what they might not be allowed to see."""
    filled: dict[str, object] = {}
    for group in FILLED_GROUPS:
        if restricted & set(group):
            continue
        if not all(_is_blank(name, getattr(kept, name)) for name in group):
            continue
        if all(_is_blank(name, getattr(merged, name)) for name in group):
            continue
        for name in group:
            filled[name] = _json_value(getattr(kept, name))
            setattr(kept, name, getattr(merged, name))
    return filled


def _with_their_families(*people: Person) -> set[int]:
    """These people and everyone in a family with them (a parent's name is in
    each of their children's match profiles)."""
    ids = {person.pk for person in people}
    families = FamilyMember.objects.filter(person_id__in=ids).values("family_id")
    return ids | set(
        FamilyMember.objects.filter(family_id__in=families).values_list("person_id", flat=True)
    )


def _locked(*people: Person) -> list[Person]:
    found = Person.objects.select_for_update().in_bulk([person.pk for person in people])
    return [found[person.pk] for person in people]


@transaction.atomic
def merge(
    actor: User,
    duplicate_or_pair: PossibleDuplicate | Iterable[Person],
    *,
    keep: Person,
    reason: str,
    request: HttpRequest | None = None,
) -> PersonMerge:
    """Merge one record of the pair into the other, which is `keep` (a
    Person). Returns the PersonMerge."""
    duplicate, first, second = _pair(duplicate_or_pair)
    if keep.pk not in (first.pk, second.pk):
        raise ValidationError({"decision": _("Choose which of the two records to keep")})
    kept, merged = (first, second) if keep.pk == first.pk else (second, first)
    if kept.local_authority_id != merged.local_authority_id and (
        problem := merge_problem(kept, merged)
    ):
        raise ValidationError(problem)
    if not policy.can_review_duplicates(actor):
        raise PermissionDenied
    _require_reviewer(actor, kept, merged)
    if duplicate is not None:
        duplicate = PossibleDuplicate.objects.select_for_update().get(pk=duplicate.pk)
    if duplicate is not None and duplicate.status != PossibleDuplicate.Status.OPEN:
        raise ValidationError(
            _("This pair was already decided: %(status)s")
            % {"status": duplicate.get_status_display().lower()}
        )
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why these records are the same person")})
    kept, merged = _locked(kept, merged)
    problem = merge_problem(kept, merged)
    if problem:
        raise ValidationError(problem)
    restricted = _restricted_fields(kept, merged)
    moved, removed = _move_references(kept, merged)
    filled = _fill_blanks(kept, merged, restricted)
    if filled:
        kept.save(update_fields=[*filled, "updated_at"])
    merged.merged_into = kept
    merged.save(update_fields=["merged_into", "updated_at"])
    indexing.index_person_ids(_with_their_families(kept, merged))
    merge = PersonMerge.objects.create(
        local_authority_id=kept.local_authority_id,
        kept=kept,
        merged=merged,
        duplicate=duplicate,
        reason=reason.strip(),
        moved=moved,
        removed=removed,
        filled=filled,
        merged_by=actor,
    )
    if duplicate is not None:
        duplicate.status = PossibleDuplicate.Status.MERGED
        duplicate.decided_by = actor
        duplicate.decided_at = merge.merged_at
        duplicate.decision_reason = merge.reason
        duplicate.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    _audit(actor, merge, request, undone=False)
    return merge


def _audit(actor: User, merge: PersonMerge, request: HttpRequest | None, *, undone: bool) -> None:
    """Events on both people (for "who has looked at this record") and the
    merge; names of fields and ids only, never values or the reason."""
    common = {"merge": merge.pk, "undone": undone}
    record(
        Action.UPDATE,
        actor=actor,
        obj=merge.merged,
        request=request,
        changes={"fields": ["merged_into"], "merged_into": merge.kept_id, **common},
    )
    record(
        Action.UPDATE,
        actor=actor,
        obj=merge.kept,
        request=request,
        changes={
            "fields": sorted(merge.filled),
            "merged_from": merge.merged_id,
            "moved": len(merge.moved),
            "removed": len(merge.removed),
            **common,
        },
    )
    record(
        Action.UPDATE if undone else Action.CREATE,
        actor=actor,
        obj=merge,
        request=request,
        changes={"fields": ["undone_at", "undo_reason"]} if undone else {},
    )


def _model(label: str) -> type[Model]:
    from django.apps import apps

    return apps.get_model(label)


def _column(model: type[Model], name: str) -> Field[Any, Any]:
    """The field `name` of `model` that is stored in its own table: what a
    merge moved, or filled in, always is."""
    field = model._meta.get_field(name)
    if not isinstance(field, Field):
        raise LookupError(f"{model._meta.label}.{name} is not stored in its table")
    return field


def undo_problems(merge: PersonMerge, kept: Person, merged: Person) -> list[str]:
    """What has changed since the merge that stops it being undone exactly."""
    if merge.is_undone:
        return [_("This merge was already undone.")]
    problems: list[str] = []
    if kept.merged_into_id is not None:
        problems.append(
            _("%(name)s's record has since been merged into another record: undo that merge first.")
            % {"name": kept.full_name}
        )
    if merged.merged_into_id != kept.pk:
        problems.append(_("The merged record no longer points at the kept one."))
    for entry in merge.moved:
        model = _model(entry["model"])
        field = _column(model, entry["field"])
        row = model._base_manager.filter(pk=entry["pk"]).first()
        if row is None or getattr(row, field.attname) != kept.pk:
            problems.append(
                _("A %(what)s moved by the merge has since been removed or changed.")
                % {"what": model._meta.verbose_name}
            )
    for entry in merge.removed:
        restored = _deserialised(entry).object
        if not _targets_exist(restored) or _clashes(restored):
            problems.append(
                _("A %(what)s removed by the merge cannot be put back: its records have changed.")
                % {"what": type(restored)._meta.verbose_name}
            )
    for name in merge.filled:
        if getattr(kept, name) != getattr(merged, name):
            problems.append(
                _("The %(what)s copied onto the kept record has been changed since.")
                % {"what": _column(Person, name).verbose_name}
            )
    return problems


def _targets_exist(row: Model) -> bool:
    """Every record the row points at still exists."""
    for field in row._meta.concrete_fields:
        target_model = field.related_model
        if (
            field.is_relation
            and isinstance(target_model, type)
            and getattr(row, field.attname) is not None
        ):
            target = target_model._base_manager.filter(pk=getattr(row, field.attname))
            if not target.exists():
                return False
    return True


@transaction.atomic
def undo_merge(
    actor: User, merge: PersonMerge, *, reason: str, request: HttpRequest | None = None
) -> PersonMerge:
    """Put both records back as they were before `merge`; the pair is open
    for review again. Refused, saying why, when something changed since."""
    if not policy.merges_visible_to(actor).filter(pk=merge.pk).exists():
        raise PermissionDenied
    if not (reason or "").strip():
        raise ValidationError({"reason": _("Say why the merge is being undone")})
    merge = PersonMerge.objects.select_for_update().get(pk=merge.pk)
    kept, merged = _locked(merge.kept, merge.merged)
    problems = undo_problems(merge, kept, merged)
    if problems:
        raise ValidationError(
            [
                _(
                    "This merge cannot be undone exactly. Put these back first, or correct "
                    "the records by hand:"
                ),
                *problems,
            ]
        )
    for name, value in merge.filled.items():
        setattr(kept, name, _column(Person, name).to_python(value))
    if merge.filled:
        kept.save(update_fields=[*merge.filled, "updated_at"])
    for entry in merge.moved:
        model = _model(entry["model"])
        field = _column(model, entry["field"])
        model._base_manager.filter(pk=entry["pk"]).update(**{field.attname: merged.pk})
    for entry in merge.removed:
        _deserialised(entry).save()
    merged.merged_into = None
    merged.save(update_fields=["merged_into", "updated_at"])
    indexing.index_person_ids(_with_their_families(kept, merged))
    merge.undone_by = actor
    merge.undone_at = timezone.now()
    merge.undo_reason = reason.strip()
    merge.save(update_fields=["undone_by", "undone_at", "undo_reason"])
    if merge.duplicate_id is not None:
        PossibleDuplicate.objects.filter(pk=merge.duplicate_id).update(
            status=PossibleDuplicate.Status.OPEN,
            decided_by=None,
            decided_at=None,
            decision_reason="",
        )
    _audit(actor, merge, request, undone=True)
    return merge
