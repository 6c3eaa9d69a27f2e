"""The chronology: every event on a case in time order, the standard social care
view. Built from the records themselves (not the audit trail), so it shows what
happened to the family rather than who opened which page.

One event, one row: a decision recorded once for several organisations (one
person's consent to share with five of them) is one row naming them all, and
what one action did as a side effect (the plan version a review makes, the
closure when children's social care accepts a referral) joins that action's
row. Every row says who recorded it; where a record does not keep its author,
the audit trail's actor for that change is named (only who, never what), and
what no person did is "Early Help (automatic)".

Each `_*_entries(episode)` function yields the rows of one kind of record
through `_entry`; `chronology` adds them up and sorts them."""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING, TypeVar

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.prefetched import prefetched

from .records_present import ADVICE, absent

if TYPE_CHECKING:
    from django.db.models import Model, QuerySet

    from accounts.models import User
    from audit.models import AuditEvent
    from consent.models import Consent, SharingOverride
    from plans.models import Plan
    from referrals.models import Referral
    from reviews.models import Review

    from .models import Episode

    # Who recorded an event: a user, a name kept in the audit trail, or None
    # when no person did.
    Recorder = User | str | None

_Record = TypeVar("_Record")


def case_page_records() -> list[Prefetch]:
    """The records the chronology reads that the case page's sections show
    or use too (meetings, reviews, case notes, referrals, consents, sharing
    overrides, plan versions, judgements on refused consent, the panels'
    agenda items, the assessment), with what the chronology needs of each. The case page
    loads them once onto its case for both, the kinds the case has none of
    not at all (records_present.read_present); each keeps its model's order."""
    from assessments.models import Assessment
    from consent.models import Consent, RefusalJudgement, SharingOverride
    from meetings.models import Meeting
    from notes.models import CaseNote
    from panels.models import shown_on_case_page
    from plans.models import Plan
    from referrals.models import Referral
    from reviews.models import Review

    return [
        Prefetch("meetings", Meeting.objects.select_related("arranged_by")),
        Prefetch("reviews", Review.objects.select_related("recorded_by", "plan")),
        Prefetch("case_notes", CaseNote.objects.select_related("author")),
        Prefetch("referrals", Referral.objects.select_related("sent_by")),
        # Also read by the team's access (consent.services.organisation_access),
        # the plan summary (plans.services.current_plan) and the consent
        # section (consent.services.latest_refusal_judgement).
        Prefetch(
            "consents",
            Consent.objects.select_related("person", "organisation", "recorded_by", "withdrawn_by"),
        ),
        Prefetch(
            "sharing_overrides",
            SharingOverride.objects.select_related("organisation", "recorded_by", "reviewed_by"),
        ),
        Prefetch("plans", Plan.objects.select_related("agreed_by")),
        Prefetch("refusal_judgements", RefusalJudgement.objects.select_related("recorded_by")),
        # Also the case page's panel section (panels_case.panel_items).
        Prefetch("panel_agenda_items", shown_on_case_page()),
        # Also the assessment section; who started and completed it, for the
        # chronology's rows.
        Prefetch("assessment", Assessment.objects.select_related("started_by", "completed_by")),
    ]


def family_members_for_case_page() -> Prefetch:
    """The family's members, for the case page's family table (in this order:
    not by birth date, which would tell a restricted age) and the plan
    section's copies owed (plans.services.copy_members), each person with
    their restrictions."""
    from people.models import FamilyMember

    return Prefetch(
        "memberships",
        FamilyMember.objects.select_related("person")
        .prefetch_related("person__restrictions")
        .order_by("relationship", "person__first_name", "pk"),
    )


def _records(episode: Episode, name: str) -> list:
    """The case's `name` records: those the case page loaded onto it, else
    read now with the same joins (never kept: a case passed in again after a
    change must show the change)."""
    loaded = prefetched(episode, name)
    if loaded is not None:
        return loaded
    [records] = [p.queryset for p in case_page_records() if p.prefetch_to == name]
    assert records is not None  # every Prefetch above has its queryset
    return list(records.filter(episode=episode))


# Who is named for what no person did (a scheduled task, a change made by the
# service itself).
AUTOMATIC = gettext_lazy("Early Help (automatic)")

# Rows written by one submission are saved one after another, not at one
# instant: those this close together, with everything else the same, are one event.
SAME_SUBMISSION = timedelta(minutes=2)


@dataclass
class Entry:
    at: datetime
    title: str
    detail: str = ""
    by: str = ""
    date_only: bool = False
    # When it was written down. Orders the events of one day whose time is not
    # known (consent given "on 3 May") after what was recorded earlier that day.
    recorded: datetime | None = None

    @property
    def sort_key(self) -> tuple[date, datetime]:
        return (timezone.localdate(self.at), self.recorded or self.at)


def _entry(
    value: date | datetime,
    title: str,
    detail: str = "",
    by: Recorder = None,
    recorded: datetime | None = None,
) -> Entry:
    """One row. `by` is who recorded it (a user or a name); None means no
    person did, and the row says so rather than leaving "By" empty."""
    if isinstance(value, datetime):
        at, date_only = value, False
    else:
        at, date_only = timezone.make_aware(datetime.combine(value, time.min)), True
    return Entry(
        at=at,
        title=title,
        detail=detail,
        by=str(by) if by else str(AUTOMATIC),
        date_only=date_only,
        recorded=recorded if date_only else None,
    )


def _set(moment: datetime | None) -> datetime:
    """A time the records were chosen for having (withdrawn, reviewed...)."""
    if moment is None:
        raise ValueError("only records with this time were chosen")
    return moment


def _same_submission(
    records: Iterable[_Record],
    key: Callable[[_Record], object],
    at: Callable[[_Record], datetime],
) -> list[list[_Record]]:
    """`records` in groups of one event: the same `key(record)` and each saved
    within SAME_SUBMISSION of the one before. Groups come in time order."""
    groups: list[list[_Record]] = []
    for record in sorted(records, key=lambda r: (repr(key(r)), at(r))):
        last = groups[-1][-1] if groups else None
        if (
            last is not None
            and key(last) == key(record)
            and at(record) - at(last) <= SAME_SUBMISSION
        ):
            groups[-1].append(record)
        else:
            groups.append([record])
    groups.sort(key=lambda group: at(group[0]))
    return groups


def _organisations(records: Iterable[Consent] | Iterable[SharingOverride]) -> str:
    names = sorted(
        {record.organisation.name for record in records if record.organisation is not None}
    )
    return get_text_list(names, _("and"))


def _what_consent_covers(group: list[Consent]) -> str:
    if group[0].organisation_id:
        return _("sharing with %(orgs)s") % {"orgs": _organisations(group)}
    return _("the assessment")


def _consent_entries(episode: Episode) -> Iterator[Entry]:
    consents = _records(episode, "consents")
    decisions = _same_submission(
        consents,
        key=lambda c: (c.person_id, c.purpose, c.given, c.method, c.given_on, c.recorded_by_id),
        at=lambda c: c.recorded_at,
    )
    for group in decisions:
        consent = group[0]
        verdict = _("agreed to") if consent.given else _("refused")
        yield _entry(
            consent.given_on,
            _("Consent: %(person)s %(verdict)s %(what)s")
            % {
                "person": consent.person.full_name,
                "verdict": verdict,
                "what": _what_consent_covers(group),
            },
            consent.get_method_display(),
            consent.recorded_by,
            consent.recorded_at,
        )
    withdrawals = _same_submission(
        [consent for consent in consents if consent.withdrawn_at],
        key=lambda c: (c.person_id, c.purpose, c.withdrawn_by_id, c.withdrawal_note),
        at=lambda c: _set(c.withdrawn_at),
    )
    for group in withdrawals:
        consent = group[0]
        yield _entry(
            _set(consent.withdrawn_at),
            _("Consent withdrawn: %(person)s, %(what)s")
            % {"person": consent.person.full_name, "what": _what_consent_covers(group)},
            consent.withdrawal_note,
            consent.withdrawn_by,
        )


def _sharing_override_entries(episode: Episode) -> Iterator[Entry]:
    overrides = _records(episode, "sharing_overrides")
    for group in _same_submission(
        overrides,
        key=lambda o: (o.recorded_by_id, o.reason),
        at=lambda o: o.recorded_at,
    ):
        yield _entry(
            group[0].recorded_at,
            _("Information shared with %(orgs)s without consent") % {"orgs": _organisations(group)},
            group[0].reason,
            group[0].recorded_by,
        )
    for group in _same_submission(
        [override for override in overrides if override.reviewed_at],
        key=lambda o: (o.reviewed_by_id, o.ended_at is None, o.review_note),
        at=lambda o: _set(o.reviewed_at),
    ):
        override = group[0]
        verdict = _("justified") if override.ended_at is None else _("not justified: ended")
        yield _entry(
            _set(override.reviewed_at),
            _("Sharing with %(orgs)s without consent reviewed: %(verdict)s")
            % {"orgs": _organisations(group), "verdict": verdict},
            override.review_note,
            override.reviewed_by,
        )


def recorded_changes(episode: Episode) -> QuerySet[AuditEvent]:
    """The audit events of the case's changes whose records keep no author.
    Read by an index of changes alone (audit_case_changes): a case is looked
    at thousands of times, and each look is an event of the case too."""
    from audit.models import Action, AuditEvent

    return (
        AuditEvent.objects.written_since(episode.requested_at)
        .filter(
            episode_id=episode.pk,
            action=Action.UPDATE,
            object_type__in=("episodes.episode", "referrals.referral", "meetings.meeting"),
        )
        .select_related("actor")
        .order_by("sequence")
    )


class _Recorders:
    """Who made a change that its record does not keep an author for (a
    referral's answer, a meeting recorded as held, a case closed), from the
    audit trail: one query for the whole case."""

    def __init__(self, episode: Episode) -> None:
        self.events: list[AuditEvent] = list(recorded_changes(episode))

        self.episode = episode
        self._panel_acts: list[tuple[str, datetime | None]] | None = None

    def panel_did(self, decision: str, at: datetime | None) -> bool:
        """Whether the panel's decision `decision`, recorded at about `at`, is
        what made this change (a closure, a step-up): the panel's row tells it."""
        if self._panel_acts is None:
            from panels.models import AgendaItem

            self._panel_acts = list(
                AgendaItem.objects.filter(
                    episode=self.episode, outcome_recorded_at__isnull=False
                ).values_list("decision", "outcome_recorded_at")
            )
        return at is not None and any(
            made == decision and when is not None and abs(when - at) <= SAME_SUBMISSION
            for made, when in self._panel_acts
        )

    def _actor(self, events: Iterable[AuditEvent]) -> Recorder:
        event = next(iter(events), None)
        if event is None:
            return None
        return event.actor or event.actor_label or None

    def of_change(self, obj: Model, field: str) -> Recorder:
        """Who last changed `field` of `obj`, or None if not recorded."""
        label = f"{obj._meta.app_label}.{obj._meta.model_name}"
        return self._actor(
            event
            for event in reversed(self.events)
            if event.object_type == label
            and event.object_id == str(obj.pk)
            and field in event.changes.get("fields", ())
        )

    def of_transition(self, actions: Collection[str]) -> Recorder:
        """Who last moved the case through one of `actions`."""
        return self._actor(
            event
            for event in reversed(self.events)
            if event.object_type == "episodes.episode" and event.changes.get("action") in actions
        )


def _refusal_judgement_entries(episode: Episode) -> Iterator[Entry]:
    for judgement in _records(episode, "refusal_judgements"):
        verdict = (
            _("the needs will escalate without help")
            if judgement.escalates
            else _("the needs will not escalate without help")
        )
        yield _entry(
            judgement.recorded_at,
            _("Judgement after consent was refused: %(verdict)s") % {"verdict": verdict},
            judgement.reasoning,
            judgement.recorded_by,
        )


def _review_versions(
    episode: Episode, reviews: Iterable[Review], plans: Iterable[Plan]
) -> dict[int, Review]:
    """{plan id: review} for the versions a review made by recording progress
    (plans.services.version_after_review): part of the review's row."""
    made: dict[int, Review] = {}
    for review in reviews:
        for plan in plans:
            if (
                plan.number == review.plan.number + 1
                and plan.agreed_by_id == review.recorded_by_id
                and abs(plan.agreed_at - review.recorded_at) <= SAME_SUBMISSION
            ):
                made[plan.pk] = review
    return made


def _assessment_and_meeting_entries(episode: Episode, recorders: _Recorders) -> Iterator[Entry]:
    assessment = getattr(episode, "assessment", None)
    if assessment is not None:
        yield _entry(assessment.started_at, _("Assessment started"), "", assessment.started_by)
        if assessment.completed_at:
            yield _entry(
                assessment.completed_at,
                _("Assessment completed"),
                "",
                assessment.completed_by or recorders.of_transition({"complete_assessment"}),
            )
    meeting_name = episode.local_authority.get_meeting_name_display()
    for meeting in _records(episode, "meetings"):
        if meeting.held:
            title = _("%(name)s held") % {"name": meeting_name}
            by = recorders.of_change(meeting, "held") or meeting.arranged_by
        else:
            title = _("%(name)s arranged") % {"name": meeting_name}
            by = meeting.arranged_by
        yield _entry(meeting.starts_at, title, meeting.location, by)


def _plan_review_and_referral_entries(episode: Episode, recorders: _Recorders) -> Iterator[Entry]:
    """Plan versions, reviews and referrals, with what a review did along the
    way (a plan version, a referral to the panel) in the review's row."""
    plans = _records(episode, "plans")
    reviews = _records(episode, "reviews")
    made_by_review = _review_versions(episode, reviews, plans)
    for plan in plans:
        if plan.pk in made_by_review:
            continue
        yield _entry(
            plan.agreed_at,
            _("Plan version %(n)s agreed") % {"n": plan.number},
            plan.change_summary,
            plan.agreed_by,
        )
    new_version = {review.pk: plan for plan in plans if (review := made_by_review.get(plan.pk))}
    referrals = _records(episode, "referrals")
    sent_by_review = {
        referral.pk: review
        for referral in referrals
        if (review := _review_that_sent(referral, reviews))
    }
    concerns = {
        sent_by_review[referral.pk].pk: referral.concern
        for referral in referrals
        if referral.pk in sent_by_review
    }
    for review in reviews:
        detail = review.get_engagement_display()
        if review.pk in new_version:
            detail = _("%(engagement)s. Progress recorded in plan version %(n)s") % {
                "engagement": detail,
                "n": new_version[review.pk].number,
            }
        if review.pk in concerns:
            detail = _("%(detail)s. Referred to the panel: %(concern)s") % {
                "detail": detail,
                "concern": concerns[review.pk],
            }
        yield _entry(
            review.held_on,
            _("Plan reviewed: %(decision)s") % {"decision": review.get_decision_display()},
            detail,
            review.recorded_by,
            review.recorded_at,
        )
    yield from _referral_entries(episode, recorders, referrals, sent_by_review)


def _case_note_entries(episode: Episode) -> Iterator[Entry]:
    for note in _records(episode, "case_notes"):
        yield _entry(
            note.happened_on,
            note.get_kind_display(),
            note.what_happened,
            note.author,
            note.recorded_at,
        )


def _lead_change_entries(episode: Episode) -> Iterator[Entry]:
    """Each change of lead professional (the panel's allocations show as the
    panel's decision instead: one event, one row)."""
    from .models import LeadChangeRoute

    if absent(episode, "lead_changes"):
        return
    changes = episode.lead_changes.exclude(route=LeadChangeRoute.PANEL).select_related(
        "previous_lead", "new_lead", "changed_by"
    )
    for change in changes:
        yield _entry(
            change.changed_at,
            _("Lead professional changed from %(old)s to %(new)s")
            % {"old": change.previous_lead, "new": change.new_lead},
            _("%(route)s. Why: %(reason)s. The family's view: %(view)s")
            % {
                "route": change.get_route_display(),
                "reason": change.reason,
                "view": change.family_view,
            },
            change.changed_by,
        )


def _panel_decision_entries(episode: Episode) -> Iterator[Entry]:
    """What the Early Help and Family Support Panel decided for the case."""
    from django.utils.formats import date_format

    for item in _records(episode, "panel_agenda_items"):
        if item.outcome_recorded_at is None:  # not decided yet
            continue
        yield _entry(
            _set(item.outcome_recorded_at),
            _("The panel on %(date)s decided: %(decision)s")
            % {
                "date": date_format(item.panel.meets_on, "j F Y"),
                "decision": item.decision_summary or _("see its advice"),
            },
            item.outcome,
            item.outcome_recorded_by,
        )


def _closed_by_referral(episode: Episode, referral: Referral) -> bool:
    """Whether this referral's acceptance is what closed the case (one event)."""
    from episodes.models import ClosureReason

    return (
        referral.accepted
        and episode.closed_at is not None
        and referral.decided_at is not None
        and episode.closure_reason == ClosureReason.STEPPED_UP
        and abs(episode.closed_at - referral.decided_at) <= SAME_SUBMISSION
    )


def _review_that_sent(referral: Referral, reviews: Iterable[Review]) -> Review | None:
    """The review whose decision to refer to the panel sent this referral
    (reviews.services.record_review), or None: one event, the review's row."""
    from referrals.models import Kind
    from reviews.models import Decision

    if referral.kind != Kind.PANEL:
        return None
    return next(
        (
            review
            for review in reviews
            if review.decision == Decision.PANEL
            and review.recorded_by_id == referral.sent_by_id
            and abs(review.recorded_at - referral.sent_at) <= SAME_SUBMISSION
        ),
        None,
    )


def _referral_entries(
    episode: Episode,
    recorders: _Recorders,
    referrals: Iterable[Referral],
    sent_by_review: Mapping[int, Review],
) -> Iterator[Entry]:
    from panels.models import PanelDecision
    from referrals.models import Kind

    for referral in referrals:
        by_panel = referral.kind == Kind.STEP_UP and recorders.panel_did(
            PanelDecision.STEP_UP, referral.sent_at
        )
        if referral.pk not in sent_by_review and not by_panel:
            yield _entry(
                referral.sent_at,
                _("Referred to %(to)s") % {"to": referral.get_kind_display()},
                referral.concern,
                referral.sent_by,
            )
        if referral.decided_at:
            title = _("Referral %(status)s") % {"status": referral.get_status_display().lower()}
            if _closed_by_referral(episode, referral):
                title = _("%(decision)s: case closed") % {"decision": title}
            yield _entry(
                referral.decided_at,
                title,
                referral.advice,
                recorders.of_change(referral, "status")
                or recorders.of_transition({"referral_accepted", "referral_not_accepted"}),
            )


def _closure_entries(episode: Episode, recorders: _Recorders) -> Iterator[Entry]:
    if not episode.closed_at:
        return
    from panels.models import PanelDecision

    if any(
        referral.decided_at and _closed_by_referral(episode, referral)
        for referral in episode.referrals.all()
    ) or recorders.panel_did(PanelDecision.CLOSE, episode.closed_at):
        return
    yield _entry(
        episode.closed_at,
        _("Closed: %(reason)s") % {"reason": episode.get_closure_reason_display()},
        episode.closure_advice,
        recorders.of_transition({"close", "decline_consent", "referral_accepted"}),
    )


def _advice_entries(episode: Episode) -> Iterator[Entry]:
    """Advice an Early Help Officer gave about someone in the family, before
    or during the case: the advice, not the caller's worry."""
    from advice.models import AdviceContact

    if absent(episode, ADVICE):
        return
    contacts = AdviceContact.objects.filter(
        local_authority_id=episode.local_authority_id,
        person__family_memberships__family_id=episode.family_id,
    ).select_related("caller_organisation", "recorded_by")
    for contact in contacts.distinct():
        yield _entry(
            contact.received_on,
            _("Advice asked for by %(caller)s, %(organisation)s")
            % {"caller": contact.caller_name, "organisation": contact.organisation_name},
            contact.get_advice_display(),
            contact.recorded_by,
            contact.recorded_at,
        )


def _police_notification_entries(episode: Episode) -> Iterator[Entry]:
    """Police notifications routed to the case: the type and reference; the
    circumstances stay on the notification's own page."""
    from police.models import PoliceNotification

    if absent(episode, "police_notifications"):
        return
    for notification in PoliceNotification.objects.filter(
        local_authority_id=episode.local_authority_id, episode=episode
    ).select_related("recorded_by"):
        yield _entry(
            notification.incident_at,
            _("Police notification: %(kind)s") % {"kind": notification.get_kind_display()},
            _("Police reference %(reference)s") % {"reference": notification.police_reference},
            notification.recorded_by or notification.recorded_via,
        )


def _quality_audit_entries(episode: Episode, viewer: User | None) -> Iterator[Entry]:
    """Each quality audit of the case: what was audited and its grade, never
    the feedback (that is for the team, on the audit's own page). Shown to a
    viewer only if they may read the audit (core.policy.audits_visible_to:
    the auditors and the team, not a panel member nor an organisation that
    only shares the case); every one in what the service writes for others
    (viewer None: a family's copy of their records)."""
    from quality.models import CaseAudit
    from quality.services import audits_read_by

    if absent(episode, "quality_audits"):
        return
    audits = (
        audits_read_by(viewer, episode)
        if viewer is not None
        else CaseAudit.objects.filter(episode=episode).select_related("audited_by")
    )
    for audit in audits:
        what = audit.get_subject_display()
        if audit.plan_number:
            what = _("%(what)s (version %(n)s)") % {"what": what, "n": audit.plan_number}
        title = _("Re-audit: %(what)s") if audit.re_audit_of_id else _("Quality audit: %(what)s")
        yield _entry(
            audit.audited_at,
            title % {"what": what},
            _("Graded %(grade)s") % {"grade": audit.get_grade_display().lower()},
            audit.audited_by,
        )


def chronology(episode: Episode, viewer: User | None = None) -> list[Entry]:
    """The case's timeline, oldest first, as `viewer` may see it (None: every
    entry, for what the service writes for others)."""
    recorders = _Recorders(episode)
    entries = [
        _entry(
            episode.requested_at,
            _("Early help requested"),
            episode.requesting_organisation.name,
            episode.requested_by or episode.requested_via or None,
        )
    ]
    entries += _consent_entries(episode)
    entries += _sharing_override_entries(episode)
    entries += _assessment_and_meeting_entries(episode, recorders)
    entries += _plan_review_and_referral_entries(episode, recorders)
    entries += _case_note_entries(episode)
    entries += _closure_entries(episode, recorders)
    entries += _refusal_judgement_entries(episode)
    entries += _lead_change_entries(episode)
    entries += _panel_decision_entries(episode)
    entries += _advice_entries(episode)
    entries += _police_notification_entries(episode)
    entries += _quality_audit_entries(episode, viewer)
    entries.sort(key=lambda entry: entry.sort_key)
    return entries
