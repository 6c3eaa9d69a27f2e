"""Receiving a family's own request for early help: where it goes, who is
told, and the limits that keep the public page from being abused.

Nothing here logs or returns what the family typed: the Early Help Officer
reads it in the service, and the family is given only a reference."""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from accounts.models import District, FamilyLanguage, User
from audit.models import Action
from audit.services import record
from core import policy
from episodes import states
from episodes.models import Episode
from episodes.progress import review_due
from episodes.services import RequestedMember, request_support
from notifications import outbox
from notifications.services import notify
from people import restrictions
from people.models import FamilyMember, Person, Relationship, RestrictableField
from plans.services import current_plan

from . import links
from .languages import family_language_codes
from .models import (
    Asker,
    FamilyLink,
    FamilyRequest,
    Feedback,
    FeedbackVersion,
    LinkPurpose,
    Moment,
    RequestClosure,
)
from .routing import Destination

if TYPE_CHECKING:
    from reviews.models import Review

WINDOW_SECONDS = 60 * 60


# What each public page counts against a client in an hour: requests sent on
# the ask-for-help page; visits to the link pages (feedback, the plan online),
# so that tokens cannot be guessed at speed.
LIMITS = {"ask": "FAMILY_REQUESTS_PER_HOUR", "link": "FAMILY_LINK_VISITS_PER_HOUR"}


def _client_key(request: HttpRequest, kind: str = "ask") -> str:
    """The rate limit's key: a keyed hash of the client's address, so the
    address itself is never stored (the cache may be shared Redis)."""
    address = request.META.get("REMOTE_ADDR", "") or "unknown"
    digest = hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256)
    return f"families:{kind}:{digest.hexdigest()}"


def over_limit(request: HttpRequest, kind: str = "ask") -> bool:
    """Whether this client has already reached the hour's limit for `kind`."""
    limit = getattr(settings, LIMITS[kind])
    return int(cache.get(_client_key(request, kind), 0)) >= limit


def count_submission(request: HttpRequest, kind: str = "ask") -> None:
    """Count one request sent (or caught by the honeypot), or one visit to a
    link page, against the client."""
    key = _client_key(request, kind)
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
        # In the practitioners' language, not the family's the page is in.
        with translation.override(settings.LANGUAGE_CODE):
            subject = _("Early Help: a family asked for help (%(reference)s)") % {
                "reference": family_request.reference
            }
            body = _(
                "A family has asked for early help in %(district)s. "
                "Sign in to Early Help to read request %(reference)s.\n"
            ) % {"district": district, "reference": family_request.reference}
        outbox.send_later(
            EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, [officer.email]),
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
    locked = _locked_without_case(actor, family_request)
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


# The family's voice and the family's plan online --------------------------------
# A worker gives a family member a link (families/links.py) or types in their
# paper form. What the family answers is seen only by those policy.
# feedback_visible_to names, and counted without names in the partnership
# report. Nothing here logs what the family said, and no public page is given
# the family's address: the audit events of the public pages name no request.

# The five-point scale, and the children's version's three answers on it.
SCALE = (1, 2, 3, 4, 5)
CHILD_ANSWERS = {"yes": 5, "a_bit": 3, "no": 1}
QUESTIONS = ("listened", "better", "ask_again")
COMMENTS_MAX = 5000


@dataclass(frozen=True)
class IssuedLink:
    """A link just made: the token is in `url`, and nowhere else kept."""

    link: FamilyLink
    url: str


def link_language(person: Person, actor: User) -> str:
    """The family member's preferred language when the family pages are
    written in it (a restricted language counts as unknown), else English."""
    shown = restrictions.for_document(person, person, actor)
    language = shown.preferred_language or ""
    return language if language in family_language_codes() else settings.FAMILY_DEFAULT_LANGUAGE


def _member(episode: Episode, person: Person) -> FamilyMember:
    member = (
        FamilyMember.objects.filter(family_id=episode.family_id, person_id=person.pk)
        .select_related("person")
        .first()
    )
    if member is None:
        raise ValidationError({"person": _("Choose someone in the family")})
    return member


def _check_email(episode: Episode, person: Person, email: str) -> None:
    """An email goes to the family member only when nothing about them is
    restricted that an email could give away: with a restricted address the
    worker gives the link in person (an email may be read by someone else)."""
    if not email:
        return
    if any(r.field == RestrictableField.ADDRESS for r in restrictions.active_restrictions(person)):
        raise ValidationError(
            {
                "email": _(
                    "This person's address is restricted: give them the link yourself "
                    "instead of emailing it"
                )
            }
        )
    people = restrictions.family_people(episode.family)
    restrictions.refuse_restricted_text(
        people, {"email": (gettext_lazy("The email address"), email)}
    )


def _link_path(purpose: str, token: str, language: str) -> str:
    name = "families:feedback" if purpose == LinkPurpose.FEEDBACK else "families:plan"
    with translation.override(language):
        return reverse(name, kwargs={"token": token})


def _email_link(issued: IssuedLink, email: str) -> None:
    link = issued.link
    with translation.override(link.language):
        if link.purpose == LinkPurpose.FEEDBACK:
            subject = _("Tell us what you think of early help")
            body = _(
                "Your early help worker would like to know what you think of the help your "
                "family has had. Answer a few short questions here:\n\n%(url)s\n\n"
                "The link works once, for 14 days."
            ) % {"url": issued.url}
        else:
            subject = _("Your family's early help plan")
            body = _(
                "You can read your family's early help plan here:\n\n%(url)s\n\n"
                "Keep this link private. Your worker can stop it working at any time."
            ) % {"url": issued.url}
    outbox.send_later(
        EmailMessage(str(subject), str(body), settings.DEFAULT_FROM_EMAIL, [email]),
        council=link.local_authority,
    )


def _issue(
    actor: User,
    episode: Episode,
    person: Person,
    *,
    purpose: str,
    email: str,
    request: HttpRequest | None,
    **fields: Any,
) -> IssuedLink:
    token, digest = links.new_token()
    link = FamilyLink.objects.create(
        local_authority_id=episode.local_authority_id,
        episode=episode,
        person=person,
        purpose=purpose,
        token_hash=digest,
        language=link_language(person, actor),
        emailed=bool(email),
        created_by=actor,
        expires_at=links.expiry(purpose),
        **fields,
    )
    path = _link_path(purpose, token, link.language)
    issued = IssuedLink(link, request.build_absolute_uri(path) if request else path)
    record(
        Action.CREATE,
        actor=actor,
        obj=link,
        request=request,
        changes={"purpose": purpose, "person": person.pk, "emailed": bool(email)},
    )
    if email:
        _email_link(issued, email)
    return issued


@transaction.atomic
def issue_feedback_link(
    actor: User,
    episode: Episode,
    person: Person,
    *,
    review: Review | None = None,
    email: str = "",
    request: HttpRequest | None = None,
) -> IssuedLink:
    """A link for one family member to give feedback at `review`, or at
    closure (no review, the case closed): their questions (the children's
    version for a child), in their language, once, for 14 days."""
    if not policy.can_ask_family(actor, episode):
        raise PermissionDenied
    moment = _moment(episode, review)
    member = _member(episode, person)
    _check_email(episode, person, email)
    return _issue(
        actor,
        episode,
        person,
        purpose=LinkPurpose.FEEDBACK,
        email=email,
        request=request,
        moment=moment,
        review=review,
        version=FeedbackVersion.CHILD if member.is_child else FeedbackVersion.ADULT,
    )


def _moment(episode: Episode, review: Review | None) -> str:
    if review is not None:
        if review.episode_id != episode.pk:
            raise ValidationError({"review": _("Choose a review of this case")})
        return Moment.REVIEW
    if refusal := states.why_not(episode, "ask_closure_feedback"):
        raise ValidationError({"review": str(refusal)})
    return Moment.CLOSURE


@transaction.atomic
def issue_plan_link(
    actor: User,
    episode: Episode,
    person: Person,
    *,
    email: str = "",
    request: HttpRequest | None = None,
) -> IssuedLink:
    """A link for a parent or young person to read the family's plan online
    (families.views.plan) until it expires or is revoked."""
    if not policy.can_ask_family(actor, episode):
        raise PermissionDenied
    if refusal := states.why_not(episode, "share_plan_online"):
        raise ValidationError(str(refusal))
    member = _member(episode, person)
    age = restrictions.rule_age(person)
    young_person = member.is_child and age is not None and age >= PLAN_LINK_AGE
    if not young_person and member.relationship not in PLAN_LINK_ADULTS:
        raise ValidationError(
            {"person": _("The plan online is for parents, carers and young people (13 or older)")}
        )
    _check_email(episode, person, email)
    return _issue(actor, episode, person, purpose=LinkPurpose.PLAN, email=email, request=request)


# A child gets the plan online from this age (their own copy is plans/document.py's);
# of the adults, those who care for the children.
PLAN_LINK_AGE = 13
PLAN_LINK_ADULTS = {Relationship.PARENT, Relationship.STEP_PARENT, Relationship.CARER}


@transaction.atomic
def revoke_link(actor: User, link: FamilyLink, *, request: HttpRequest | None = None) -> None:
    """The link stops working at once (already used or revoked: nothing to do)."""
    if not policy.can_ask_family(actor, link.episode):
        raise PermissionDenied
    locked = FamilyLink.objects.select_for_update().get(pk=link.pk)
    if locked.revoked_at is not None:
        return
    locked.revoked_at = timezone.now()
    locked.revoked_by = actor
    locked.save(update_fields=["revoked_at", "revoked_by"])
    record(Action.UPDATE, actor=actor, obj=locked, request=request, changes={"revoked": True})


def _answers(data: Mapping[str, Any], version: str) -> dict[str, Any]:
    """The answers as stored: 1 to 5 (a child's yes, a bit, no as 5, 3, 1),
    or None where the question was not answered; at least one, or a comment."""
    answers: dict[str, Any] = {}
    for question in QUESTIONS:
        given = str(data.get(question) or "")
        if given == "":
            answers[question] = None
        elif version == FeedbackVersion.CHILD and given in CHILD_ANSWERS:
            answers[question] = CHILD_ANSWERS[given]
        elif given.isascii() and given.isdigit():
            # The five-point scale (a child's paper form typed in on it too).
            answers[question] = int(given)
        else:
            raise ValidationError({question: _("Choose one of the answers")})
        if answers[question] is not None and answers[question] not in SCALE:
            raise ValidationError({question: _("Choose one of the answers")})
    comments = str(data.get("comments") or "").strip()
    if len(comments) > COMMENTS_MAX:
        raise ValidationError({"comments": _("Write no more than 5000 characters")})
    if comments == "" and all(answers[q] is None for q in QUESTIONS):
        raise ValidationError(_("Answer at least one question, or write something"))
    answers["comments"] = comments
    return answers


@transaction.atomic
def record_paper_feedback(
    actor: User,
    episode: Episode,
    person: Person,
    answers: Mapping[str, Any],
    *,
    review: Review | None = None,
    request: HttpRequest | None = None,
) -> Feedback:
    """What a family member wrote on the paper form, typed in by the worker."""
    if not policy.can_ask_family(actor, episode):
        raise PermissionDenied
    moment = _moment(episode, review)
    member = _member(episode, person)
    version = FeedbackVersion.CHILD if member.is_child else FeedbackVersion.ADULT
    feedback = Feedback.objects.create(
        local_authority_id=episode.local_authority_id,
        episode=episode,
        person=person,
        moment=moment,
        review=review,
        version=version,
        on_paper=True,
        recorded_by=actor,
        **_answers(answers, version),
    )
    record(
        Action.CREATE,
        actor=actor,
        obj=feedback,
        request=request,
        changes={"on_paper": True, "moment": moment},
    )
    return feedback


@transaction.atomic
def give_feedback(link: FamilyLink, data: Mapping[str, Any]) -> Feedback:
    """A family member's answers through their link: kept once (the link is
    locked and used up in the same transaction), the lead professional told
    that feedback came (the event only)."""
    locked = FamilyLink.objects.select_for_update().filter(pk=link.pk).first()
    if locked is None or locked.state() != "active":
        raise LinkUnusable
    episode = locked.episode
    feedback = Feedback.objects.create(
        local_authority_id=locked.local_authority_id,
        episode=episode,
        person_id=locked.person_id,
        moment=locked.moment,
        review_id=locked.review_id,
        version=locked.version,
        link=locked,
        **_answers(data, locked.version),
    )
    locked.used_at = timezone.now()
    locked.save(update_fields=["used_at"])
    record(
        Action.CREATE,
        obj=feedback,
        local_authority=locked.local_authority,
        actor_label="a family member, through their feedback link",
        changes={"link": locked.pk, "moment": locked.moment},
    )
    # The lead professional's update, in their language, not the family's.
    with translation.override(settings.LANGUAGE_CODE):
        notify([episode.lead_professional], episode, _("Feedback from the family"))
    return feedback


class LinkUnusable(Exception):
    """The link expired, was used or revoked while the page was open."""


@dataclass(frozen=True)
class PlanAction:
    what: str
    who: str
    due_by: date
    status: str


@dataclass(frozen=True)
class PlanGoal:
    text: str
    actions: list[PlanAction]


@dataclass(frozen=True)
class FamilyPlan:
    """What the family's page shows: nothing restricted (text scrubbed of
    every restricted value), nobody beyond names and relationships."""

    reference: str
    members: list[tuple[str, str]]
    goals: list[PlanGoal]
    next_review: date | None
    # (who, score): the professional's first, then each family member's.
    scores: list[tuple[str, int]]
    scored_on: date | None


@transaction.atomic
def open_plan(link: FamilyLink) -> FamilyPlan | None:
    """The family's plan for a visit through their link, the visit audited;
    None once the plan is no longer in place (the page says the link has
    stopped working)."""
    episode = link.episode
    plan = current_plan(episode)
    if plan is None or not states.allows(episode, "share_plan_online"):
        return None
    FamilyLink.objects.filter(pk=link.pk).update(visits=F("visits") + 1)
    record(
        Action.VIEW,
        obj=link,
        local_authority=link.local_authority,
        actor_label="a family member, through their plan link",
        changes={"episode": episode.pk, "plan": plan.pk},
    )
    people = restrictions.family_people(episode.family)
    maker = link.created_by
    members = [
        (
            restrictions.for_document(member.person, link.person, maker).full_name,
            str(member.get_relationship_display()),
        )
        for member in episode.family.memberships.select_related("person").order_by("id")
    ]
    goals = [
        PlanGoal(
            restrictions.scrub_text(goal.text, people),
            [
                PlanAction(
                    restrictions.scrub_text(action.what, people),
                    ", ".join(
                        part
                        for part in (
                            action.worker.full_name if action.worker else "",
                            action.organisation.name,
                        )
                        if part
                    ),
                    action.due_by,
                    str(action.get_status_display()),
                )
                for action in goal.actions.select_related("organisation", "worker").order_by(
                    "due_by", "id"
                )
            ],
        )
        for goal in plan.goals.order_by("id")
    ]
    scores, scored_on = _latest_scores(episode)
    last = episode.reviews.order_by("-held_on").values_list("held_on", flat=True).first()
    return FamilyPlan(
        reference=episode.reference,
        members=members,
        goals=goals,
        next_review=review_due(episode, last_review_on=last),
        scores=scores,
        scored_on=scored_on,
    )


def _latest_scores(episode: Episode) -> tuple[list[tuple[str, int]], date | None]:
    """The scaling scores of the latest review that has them, else the
    assessment's: the worker's first, then the family's own."""
    from assessments.models import ScalingScore, Scorer

    review = episode.reviews.filter(scores__isnull=False).order_by("-held_on", "-id").first()
    if review is not None:
        found = ScalingScore.objects.filter(review=review)
        on: date | None = review.held_on
    else:
        found = ScalingScore.objects.filter(assessment__episode=episode)
        on = None
    rows: list[tuple[str, int]] = []
    for score in found.select_related("person").order_by("id"):
        if score.scorer == Scorer.PRACTITIONER:
            rows.insert(0, (str(_("Your early help worker")), score.score))
        elif score.person is not None:
            rows.append((score.person.full_name, score.score))
    return rows, on


def _locked_without_case(actor: User, family_request: FamilyRequest) -> FamilyRequest:
    """The request, locked for the officer's change, if the officer may see it
    and no case has been started from it (in the caller's transaction)."""
    if not policy.family_requests_visible_to(actor).filter(pk=family_request.pk).exists():
        raise PermissionDenied
    locked = FamilyRequest.objects.select_for_update().get(pk=family_request.pk)
    if locked.episode_id is not None:
        raise ValidationError(
            _("A case has already been started from this request: %(reference)s")
            % {"reference": locked.episode.reference if locked.episode else ""}
        )
    return locked


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
    locked = _locked_without_case(actor, family_request)
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
