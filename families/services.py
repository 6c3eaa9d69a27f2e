"""Receiving a family's own request for early help: where it goes, who is
told, and the limits that keep the public page from being abused.

Nothing here logs or returns what the family typed: the Early Help Officer
reads it in the service, and the family is given only a reference."""

import hashlib
import hmac
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from accounts.models import District, FamilyLanguage, User
from audit.models import Action
from audit.services import record
from core import policy
from episodes.models import Episode
from episodes.services import RequestedMember, request_support
from notifications import outbox
from people.models import Relationship

from .models import Asker, FamilyRequest, RequestClosure
from .routing import Destination

WINDOW_SECONDS = 60 * 60


def _client_key(request: HttpRequest) -> str:
    """The rate limit's key: a keyed hash of the client's address, so the
    address itself is never stored (the cache may be shared Redis)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"families:ask:{digest.hexdigest()}"


def over_limit(request: HttpRequest) -> bool:
    """Whether this client has already sent FAMILY_REQUESTS_PER_HOUR requests."""
    return int(cache.get(_client_key(request), 0)) >= settings.FAMILY_REQUESTS_PER_HOUR


def count_submission(request: HttpRequest) -> None:
    """Count one request sent (or caught by the honeypot) against the client."""
    key = _client_key(request)
    # add() starts the hour's window only for the first; incr() keeps it.
    if not cache.add(key, 1, WINDOW_SECONDS):
        try:
            cache.incr(key)
        except ValueError:  # expired between the two calls
            cache.add(key, 1, WINDOW_SECONDS)


@transaction.atomic
def receive_request(
    destination: Destination, data: Mapping[str, Any], *, language: str
) -> FamilyRequest:
    """Keep the family's request in its council's queue (its district's, or the
    council's general queue), audit it and tell the Early Help Officer that one
    came, by reference only."""
    council, district = destination.council, destination.district
    children = [
        {
            "first_name": child["first_name"],
            "last_name": child["last_name"],
            "date_of_birth": child["date_of_birth"].isoformat(),
        }
        for child in data["children"]
    ]
    family_request = FamilyRequest.objects.create(
        local_authority=council,
        district=district,
        asker=data["asker"],
        first_name=data["first_name"],
        last_name=data["last_name"],
        date_of_birth=data.get("date_of_birth"),
        relationship=data.get("relationship", ""),
        phone=data.get("phone", ""),
        email=data.get("email", ""),
        may_leave_message=data.get("may_leave_message") == "yes",
        contact_safety=data.get("contact_safety", ""),
        postcode=data["postcode"],
        worries=data["worries"],
        children=children,
        language=language,
        consent_to_contact=True,
    )
    # No request: the family's address is not kept in the audit trail either.
    record(
        Action.CREATE,
        obj=family_request,
        local_authority=council,
        actor_label="a family, on the public page",
        changes={"fields": ["asker", "children", "contact", "worries"], "language": language},
    )
    officer = district.early_help_officer if district else None
    if officer is not None and officer.is_active:
        subject = f"Early Help: a family asked for help ({family_request.reference})"
        outbox.send_later(
            EmailMessage(
                subject,
                f"A family has asked for early help in {district}. "
                f"Sign in to Early Help to read request {family_request.reference}.\n",
                settings.DEFAULT_FROM_EMAIL,
                [officer.email],
            ),
            council=council,
        )
    return family_request


def _members(family_request: FamilyRequest) -> list[RequestedMember]:
    """The people the family named, as new people for request_support: the
    children (a young person asking for themselves is the first of them) and,
    for a parent or carer, the parent."""
    language = family_request.language if family_request.language in FamilyLanguage.values else "en"
    members: list[RequestedMember] = [
        {
            "person": None,
            "details": {
                "first_name": child["first_name"],
                "last_name": child["last_name"],
                "date_of_birth": date.fromisoformat(child["date_of_birth"]),
                "postcode": family_request.postcode,
                "preferred_language": language,
            },
            "relationship": Relationship.CHILD,
        }
        for child in family_request.children
    ]
    if family_request.asker == Asker.PARENT:
        members.append(
            {
                "person": None,
                "details": {
                    "first_name": family_request.first_name,
                    "last_name": family_request.last_name,
                    "postcode": family_request.postcode,
                    "preferred_language": language,
                },
                "relationship": Relationship.PARENT,
            }
        )
    return members


@transaction.atomic
def start_case(
    actor: User,
    family_request: FamilyRequest,
    *,
    district: District,
    needs: list[str],
    request: HttpRequest | None = None,
) -> Episode:
    """The Early Help Officer starts a case from a family's own request,
    through the same request_support a practitioner's request uses: who asked
    is the family (the census source of referral follows: 1A for a parent or
    carer, 1C for a young person), the officer records it for them, and the
    people it records are checked for duplicates out of sight."""
    if not policy.family_requests_visible_to(actor).filter(pk=family_request.pk).exists():
        raise PermissionDenied
    locked = FamilyRequest.objects.select_for_update().get(pk=family_request.pk)
    if locked.episode_id is not None:
        raise ValidationError(
            _("A case has already been started from this request: %(reference)s")
            % {"reference": locked.episode.reference if locked.episode else ""}
        )
    if locked.closed_at is not None:
        raise ValidationError(
            _(
                "This request was closed without a case. To help the family now, ask for "
                "early help for them from your home page"
            )
        )
    organisation = actor.primary_organisation
    if organisation is None or not policy.can_start_request(actor):
        raise ValidationError(
            _(
                "You need a practitioner's role in an organisation to start a case: "
                "ask your LA administrator"
            )
        )
    episode = request_support(
        actor,
        organisation=organisation,
        district=district,
        source=locked.asker,
        worries=locked.worries,
        needs=needs,
        family_name=f"{locked.last_name} family",
        members=_members(locked),
        request=request,
    )
    locked.episode = episode
    locked.save(update_fields=["episode"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=locked,
        request=request,
        changes={"fields": ["episode"], "episode": episode.pk},
    )
    return episode


@transaction.atomic
def close_request(
    actor: User,
    family_request: FamilyRequest,
    *,
    reason: str,
    note: str = "",
    request: HttpRequest | None = None,
) -> FamilyRequest:
    """The officer deals with a family's request without starting a case
    (advice given, passed to another service or to children's social care,
    the family already has a case...). It leaves the queue, and is deleted
    FAMILY_REQUEST_RETENTION_DAYS later (families/retention.py)."""
    if not policy.family_requests_visible_to(actor).filter(pk=family_request.pk).exists():
        raise PermissionDenied
    locked = FamilyRequest.objects.select_for_update().get(pk=family_request.pk)
    if locked.episode_id is not None:
        raise ValidationError(
            _("A case has already been started from this request: %(reference)s")
            % {"reference": locked.episode.reference if locked.episode else ""}
        )
    if locked.closed_at is not None:
        raise ValidationError(
            _("%(name)s closed this request on %(day)s")
            % {
                "name": locked.closed_by.full_name if locked.closed_by else _("Someone"),
                "day": date_format(timezone.localtime(locked.closed_at), "j F Y"),
            }
        )
    if reason not in RequestClosure.values:
        raise ValidationError({"reason": _("Choose how the request was dealt with")})
    locked.closed_at = timezone.now()
    locked.closed_by = actor
    locked.closure_reason = reason
    locked.closure_note = note.strip()
    locked.save(update_fields=["closed_at", "closed_by", "closure_reason", "closure_note"])
    record(
        Action.UPDATE,
        actor=actor,
        obj=locked,
        request=request,
        changes={"fields": ["closed_at", "closure_reason", "closure_note"], "reason": reason},
    )
    return locked
