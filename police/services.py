"""Recording police notifications, telling the right people, and their
acknowledgement. The partner API (a later piece of work) will call
`record_notification` as the pages and the file loader do."""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority, Organisation, OrganisationType
from audit.models import Action
from audit.services import record
from core import policy
from episodes import states
from episodes.models import Episode
from matching.engine import THRESHOLD, Details, find_matches
from notifications.services import email_staff, notify

from .models import IncidentKind, NonSchoolDay, NotifiedChild, PoliceNotification
from .school_days import next_school_day_start

if TYPE_CHECKING:
    from accounts.models import User

SETTINGS = (OrganisationType.SCHOOL, OrganisationType.EARLY_YEARS)
MESSAGE = "Police notification received"  # an event name only, never the circumstances


@dataclass(frozen=True)
class ChildNamed:
    """A child as the police named them."""

    first_name: str
    last_name: str
    date_of_birth: datetime.date | None
    postcode: str = ""
    present: bool = False
    # From a police system's file: more to match on, not stored.
    nhs_number: str = ""
    upn: str = ""


def _matched_person(local_authority_id: int, child: ChildNamed) -> int | None:
    """The register's person for a child the police named, when the match is
    confident; otherwise none (the Early Help Officer links them later)."""
    found = find_matches(
        local_authority_id,
        Details(
            first_name=child.first_name,
            last_name=child.last_name,
            date_of_birth=child.date_of_birth,
            postcode=child.postcode,
            nhs_number=child.nhs_number,
            upn=child.upn,
        ),
        limit=1,
        threshold=THRESHOLD,
    )
    return found[0].person_id if found else None


def _open_case(local_authority_id: int, person_ids: Sequence[int]) -> Episode | None:
    if not person_ids:
        return None
    return (
        Episode.objects.filter(
            local_authority_id=local_authority_id,
            status__in=states.statuses_allowing("list_as_open"),
            family__memberships__person__in=person_ids,
        )
        .select_related("lead_professional", "district__early_help_officer")
        .order_by("-requested_at")
        .first()
    )


def _problems(
    la: LocalAuthority,
    police_reference: str,
    incident_at: datetime.datetime,
    kind: str,
    school: Organisation | None,
    children: Sequence[ChildNamed],
) -> dict[str, str]:
    errors: dict[str, str] = {}
    if not police_reference:
        errors["police_reference"] = _("Enter the police reference")
    elif PoliceNotification.objects.filter(
        local_authority=la, police_reference__iexact=police_reference
    ).exists():
        errors["police_reference"] = _(
            "A notification with the police reference %(reference)s is already recorded"
        ) % {"reference": police_reference}
    if incident_at > timezone.now():
        errors["incident_at"] = _("The incident cannot be in the future")
    if kind not in IncidentKind.values:
        errors["kind"] = _("Choose the type of incident")
    if school is not None and (school.local_authority_id != la.pk or school.type not in SETTINGS):
        errors["school"] = _("Choose a school or early years setting of this council")
    if not children:
        errors["children"] = _("Name at least one child")
    return errors


@transaction.atomic
def record_notification(
    actor: User | None,
    la: LocalAuthority,
    *,
    police_reference: str,
    incident_at: datetime.datetime,
    kind: str,
    circumstances: str,
    school: Organisation | None,
    children: Sequence[ChildNamed],
    via: str = "",
    request: HttpRequest | None = None,
) -> PoliceNotification:
    """Record a notification, match each child, and tell the lead professional
    of an open case, the district's Early Help Officer and the school's key
    adult (by event name only). `actor` is None for a file or partner system
    named by `via`."""
    if actor is not None and (
        not policy.can_record_police_notification(actor) or actor.local_authority_id != la.pk
    ):
        raise PermissionDenied
    police_reference = police_reference.strip()
    if errors := _problems(la, police_reference, incident_at, kind, school, children):
        raise ValidationError(errors)
    matched = [_matched_person(la.pk, child) for child in children]
    episode = _open_case(la.pk, [pk for pk in matched if pk is not None])
    district = (school.district if school is not None else None) or (
        episode.district if episode is not None else None
    )
    now = timezone.now()
    notification = PoliceNotification.objects.create(
        local_authority=la,
        police_reference=police_reference,
        incident_at=incident_at,
        kind=kind,
        circumstances=circumstances.strip(),
        school=school,
        district=district,
        episode=episode,
        acknowledge_by=next_school_day_start(la.pk, now),
        recorded_by=actor,
        recorded_via=via,
        recorded_at=now,
    )
    NotifiedChild.objects.bulk_create(
        NotifiedChild(
            notification=notification,
            first_name=child.first_name.strip(),
            last_name=child.last_name.strip(),
            date_of_birth=child.date_of_birth,
            postcode=child.postcode.strip(),
            present=child.present,
            person_id=person_id,
        )
        for child, person_id in zip(children, matched, strict=True)
    )
    eho = district.early_help_officer if district is not None else None
    if episode is not None:
        notify([episode.lead_professional, eho], episode, MESSAGE)
    elif eho is not None:
        email_staff([eho], MESSAGE, _("Sign in to Early Help to see your district's queue."))
    key_adult = school.key_adult if school is not None else None
    if key_adult is not None and key_adult.is_active:
        email_staff(
            [key_adult],
            _("Police notification about a pupil"),
            _("Sign in to Early Help to read it before the school day starts."),
        )
    record(
        Action.CREATE,
        actor=actor,
        obj=notification,
        local_authority=la,
        request=request,
        actor_label=via,
        changes={
            "children": len(children),
            "matched": sum(pk is not None for pk in matched),
            "open_case": episode.pk if episode else None,
        },
    )
    return notification


def may_acknowledge(user: User, notification: PoliceNotification) -> bool:
    return policy.police_notifications_visible_to(user).filter(pk=notification.pk).exists()


@transaction.atomic
def acknowledge(
    user: User, notification: PoliceNotification, note: str = "", request: HttpRequest | None = None
) -> PoliceNotification:
    """The school (or the Early Help Officer, having told it by phone) has it."""
    if not may_acknowledge(user, notification):
        raise PermissionDenied
    notification = PoliceNotification.objects.select_for_update().get(pk=notification.pk)
    if notification.acknowledged:
        raise ValidationError(_("This notification was already acknowledged"))
    notification.acknowledged_at = timezone.now()
    notification.acknowledged_by = user
    notification.acknowledgement_note = note.strip()
    notification.save(update_fields=["acknowledged_at", "acknowledged_by", "acknowledgement_note"])
    record(
        Action.UPDATE,
        actor=user,
        obj=notification,
        request=request,
        changes={
            "acknowledged": True,
            "late": notification.acknowledged_at > notification.acknowledge_by,
        },
    )
    return notification


# The council's calendar of non-school days ---------------------------------------

LONGEST_CLOSURE_DAYS = 62  # the summer holiday, with room to spare


@transaction.atomic
def add_non_school_days(
    actor: User,
    first_day: datetime.date,
    last_day: datetime.date | None = None,
    name: str = "",
    request: HttpRequest | None = None,
) -> int:
    """Mark the weekdays from `first_day` to `last_day` closed; returns how
    many were added (days already marked are left as they are)."""
    if not policy.can_manage_school_calendar(actor):
        raise PermissionDenied
    last_day = last_day or first_day
    if last_day < first_day:
        raise ValidationError({"last_day": _("The last day must be on or after the first day")})
    if (last_day - first_day).days >= LONGEST_CLOSURE_DAYS:
        raise ValidationError(
            {
                "last_day": _("Enter at most %(days)s days at a time")
                % {"days": LONGEST_CLOSURE_DAYS}
            }
        )
    la_id = actor.local_authority_id
    assert la_id is not None  # can_manage_school_calendar needs a council
    days = [
        first_day + datetime.timedelta(days=offset)
        for offset in range((last_day - first_day).days + 1)
    ]
    weekdays = [day for day in days if day.weekday() < 5]
    if not weekdays:
        raise ValidationError(
            {"first_day": _("Schools are closed at weekends already: choose a weekday")}
        )
    existing = set(
        NonSchoolDay.objects.filter(local_authority_id=la_id, day__in=weekdays).values_list(
            "day", flat=True
        )
    )
    added = NonSchoolDay.objects.bulk_create(
        NonSchoolDay(local_authority_id=la_id, day=day, name=name.strip())
        for day in weekdays
        if day not in existing
    )
    if added:
        record(
            Action.CREATE,
            actor=actor,
            request=request,
            changes={"non_school_days": [day.day.isoformat() for day in added]},
        )
    return len(added)


@transaction.atomic
def remove_non_school_day(
    actor: User, day: NonSchoolDay, request: HttpRequest | None = None
) -> None:
    if (
        not policy.can_manage_school_calendar(actor)
        or day.local_authority_id != actor.local_authority_id
    ):
        raise PermissionDenied
    record(
        Action.DELETE,
        actor=actor,
        request=request,
        changes={"non_school_days": [day.day.isoformat()]},
    )
    # Through the council-scoped manager, so the DELETE names the council.
    NonSchoolDay.objects.filter(pk=day.pk).delete()
