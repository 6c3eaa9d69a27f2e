"""Recording advice given on the advice line, and following it up.

The "already known?" check is the one the request form runs
(people.search.search_people), with need-to-know: the adviser may link the
advice to a person they may see; a record they may not see is noted only as
"known elsewhere", with whom to contact."""

from __future__ import annotations

import datetime
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import District, Organisation
from audit.models import Action
from audit.services import record
from core import policy
from core.paging import by_id
from episodes import states
from episodes.models import Episode
from matching.engine import THRESHOLD
from people.search import Match, search_people

from .models import AdviceContact, AdviceGiven, Known

if TYPE_CHECKING:
    from accounts.models import User


@dataclass(frozen=True)
class FamilyDetails:
    """Who the worry is about, as the caller gave it."""

    first_name: str = ""
    last_name: str = ""
    date_of_birth: datetime.date | None = None
    postcode: str = ""

    @classmethod
    def from_data(cls, data: Mapping[str, object]) -> FamilyDetails:
        date_of_birth = data.get("date_of_birth")
        return cls(
            first_name=str(data.get("first_name") or "").strip(),
            last_name=str(data.get("last_name") or "").strip(),
            date_of_birth=date_of_birth if isinstance(date_of_birth, datetime.date) else None,
            postcode=str(data.get("postcode") or "").strip(),
        )

    @property
    def checkable(self) -> bool:
        """Enough to search on: a surname and one more detail."""
        return bool(self.last_name) and bool(self.first_name or self.date_of_birth or self.postcode)


def check_known(user: User, details: FamilyDetails) -> list[Match] | None:
    """The people the details may be, as `user` may see them; None when too
    little was given to look."""
    if not details.checkable:
        return None
    return search_people(
        user,
        first_name=details.first_name,
        last_name=details.last_name,
        date_of_birth=details.date_of_birth,
        postcode=details.postcode,
    )


def open_cases_of(user: User, matches: list[Match]) -> dict[int, Episode]:
    """Each visible match's open case, if any, that `user` may see: whether to
    advise contacting its lead professional."""
    people = [m.person.pk for m in matches if m.person is not None]
    if not people:
        return {}
    cases = (
        policy.episodes_visible_to(user)
        .filter(
            status__in=states.statuses_allowing("list_as_open"),
            family__memberships__person__in=people,
        )
        .select_related("lead_professional")
        .order_by("-requested_at")
        .values_list("family__memberships__person", "pk")
    )
    found: dict[int, int] = {}
    for person_id, episode_id in cases:
        found.setdefault(person_id, episode_id)
    episodes = by_id(Episode.objects.select_related("lead_professional"), set(found.values()))
    return {person_id: episodes[episode_id] for person_id, episode_id in found.items()}


def _known(matches: list[Match] | None, linked: bool) -> Known:
    if matches is None:
        return Known.NOT_CHECKED
    if linked or any(m.visible and m.score >= THRESHOLD for m in matches):
        return Known.KNOWN
    if any(not m.visible for m in matches):
        return Known.KNOWN_ELSEWHERE
    return Known.NOT_KNOWN


def _district(
    user: User, data: Mapping[str, object], organisation: Organisation | None
) -> District | None:
    """The district chosen, else the caller's organisation's, else the adviser's own."""
    chosen = data.get("district")
    if isinstance(chosen, District):
        if chosen.local_authority_id != user.local_authority_id:
            raise PermissionDenied
        return chosen
    if organisation is not None and organisation.district_id:
        return organisation.district
    return user.districts_as_eho.order_by("name").first()


@transaction.atomic
def record_advice(
    user: User, data: Mapping[str, object], request: HttpRequest | None = None
) -> AdviceContact:
    """Record one call or email and the advice given, with the check's answer."""
    if not policy.can_give_advice(user):
        raise PermissionDenied
    errors: dict[str, str] = {}
    organisation = data.get("caller_organisation")
    if isinstance(organisation, Organisation):
        if organisation.local_authority_id != user.local_authority_id:
            raise PermissionDenied
    else:
        organisation = None
    organisation_name = str(data.get("caller_organisation_name") or "").strip()
    if organisation is None and not organisation_name:
        errors["caller_organisation"] = _(
            "Choose the caller's organisation, or type its name if it is not listed"
        )
    advice = str(data.get("advice") or "")
    detail = str(data.get("advice_detail") or "").strip()
    if advice == AdviceGiven.OTHER and not detail:
        errors["advice_detail"] = _("Say what advice you gave")
    received_on = data.get("received_on")
    follow_up_on = data.get("follow_up_on")
    if (
        isinstance(received_on, datetime.date)
        and isinstance(follow_up_on, datetime.date)
        and follow_up_on < received_on
    ):
        errors["follow_up_on"] = _("The follow-up date must be on or after the date asked")
    details = FamilyDetails.from_data(data)
    matches = check_known(user, details)
    chosen = data.get("person")
    person = None
    if chosen:
        visible = {m.person.pk: m.person for m in matches or [] if m.person is not None}
        try:
            person = visible[int(str(chosen))]
        except (KeyError, ValueError):
            errors["person"] = _(
                "The person you chose is no longer among the matches: check again and choose"
            )
    if not isinstance(received_on, datetime.date):
        errors["received_on"] = _("Enter the date the advice was asked for")
    if errors:
        raise ValidationError(errors)
    assert isinstance(received_on, datetime.date) and user.local_authority_id is not None
    contact = AdviceContact.objects.create(
        local_authority_id=user.local_authority_id,
        district=_district(user, data, organisation),
        received_on=received_on,
        channel=str(data["channel"]),
        caller_name=str(data["caller_name"]).strip(),
        caller_organisation=organisation,
        caller_organisation_name="" if organisation else organisation_name,
        worry=str(data["worry"]).strip(),
        known=_known(matches, person is not None),
        person=policy.people_visible_to(user).get(pk=person.pk) if person else None,
        advice=advice,
        advice_detail=detail,
        follow_up_on=follow_up_on if isinstance(follow_up_on, datetime.date) else None,
        recorded_by=user,
    )
    record(
        Action.CREATE,
        actor=user,
        obj=contact,
        request=request,
        changes={"known": contact.known, "advice": contact.advice, "person": contact.person_id},
    )
    return contact


@transaction.atomic
def mark_followed_up(
    user: User, contact: AdviceContact, request: HttpRequest | None = None
) -> AdviceContact:
    if not policy.advice_visible_to(user).filter(pk=contact.pk).exists():
        raise PermissionDenied
    if not contact.follow_up_owed:
        raise ValidationError(_("This advice has no follow-up still owed"))
    contact.followed_up_at = timezone.now()
    contact.followed_up_by = user
    contact.save(update_fields=["followed_up_at", "followed_up_by"])
    record(Action.UPDATE, actor=user, obj=contact, request=request, changes={"followed_up": True})
    return contact
