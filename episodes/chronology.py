"""The chronology: every event on a case in time order, the standard social care
view. Built from the records themselves (not the audit trail), so it shows what
happened to the family rather than who opened which page."""

from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils import timezone
from django.utils.translation import gettext as _


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
    def sort_key(self):
        return (timezone.localdate(self.at), self.recorded or self.at)


def _entry(value, title, detail="", by="", recorded=None):
    date_only = isinstance(value, date) and not isinstance(value, datetime)
    at = timezone.make_aware(datetime.combine(value, time.min)) if date_only else value
    return Entry(
        at=at,
        title=title,
        detail=detail,
        by=str(by or ""),
        date_only=date_only,
        recorded=recorded if date_only else None,
    )


def _consent_entries(episode):
    for consent in episode.consents.select_related("person", "organisation", "recorded_by"):
        what = (
            _("sharing with %(org)s") % {"org": consent.organisation.name}
            if consent.organisation_id
            else _("the assessment")
        )
        verdict = _("agreed to") if consent.given else _("refused")
        yield _entry(
            consent.given_on,
            _("Consent: %(person)s %(verdict)s %(what)s")
            % {"person": consent.person.full_name, "verdict": verdict, "what": what},
            consent.get_method_display(),
            consent.recorded_by,
            consent.recorded_at,
        )
        if consent.withdrawn_at:
            yield _entry(
                consent.withdrawn_at,
                _("Consent withdrawn: %(person)s, %(what)s")
                % {"person": consent.person.full_name, "what": what},
                consent.withdrawal_note,
                consent.withdrawn_by,
            )


def _sharing_override_entries(episode):
    for override in episode.sharing_overrides.select_related(
        "organisation", "recorded_by", "reviewed_by"
    ):
        yield _entry(
            override.recorded_at,
            _("Information shared with %(org)s without consent")
            % {"org": override.organisation.name},
            override.reason,
            override.recorded_by,
        )
        if override.reviewed_at:
            verdict = _("justified") if override.ended_at is None else _("not justified: ended")
            yield _entry(
                override.reviewed_at,
                _("Sharing without consent reviewed: %(verdict)s") % {"verdict": verdict},
                override.review_note,
                override.reviewed_by,
            )


def _refusal_judgement_entries(episode):
    for judgement in episode.refusal_judgements.select_related("recorded_by"):
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


def _work_entries(episode):
    assessment = getattr(episode, "assessment", None)
    if assessment is not None:
        yield _entry(assessment.started_at, _("Assessment started"), "", assessment.started_by)
        if assessment.completed_at:
            yield _entry(assessment.completed_at, _("Assessment completed"))
    meeting_name = episode.local_authority.get_meeting_name_display()
    for meeting in episode.meetings.all():
        title = _("%(name)s held") if meeting.held else _("%(name)s arranged")
        yield _entry(meeting.starts_at, title % {"name": meeting_name}, meeting.location)
    for plan in episode.plans.select_related("agreed_by"):
        yield _entry(
            plan.agreed_at,
            _("Plan version %(n)s agreed") % {"n": plan.number},
            plan.change_summary,
            plan.agreed_by,
        )
    for review in episode.reviews.select_related("recorded_by"):
        yield _entry(
            review.held_on,
            _("Plan reviewed: %(decision)s") % {"decision": review.get_decision_display()},
            review.get_engagement_display(),
            review.recorded_by,
            review.recorded_at,
        )
    for referral in episode.referrals.select_related("sent_by"):
        yield _entry(
            referral.sent_at,
            _("Referred to %(to)s") % {"to": referral.get_kind_display()},
            referral.concern,
            referral.sent_by,
        )
        if referral.decided_at:
            yield _entry(
                referral.decided_at,
                _("Referral %(status)s") % {"status": referral.get_status_display().lower()},
                referral.advice,
            )
    for note in episode.case_notes.select_related("author"):
        yield _entry(
            note.happened_on,
            note.get_kind_display(),
            note.what_happened,
            note.author,
            note.recorded_at,
        )


def _lead_change_entries(episode):
    """Each change of lead professional (the panel's allocations show as the
    panel's decision instead: one event, one row)."""
    from .models import LeadChangeRoute

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


def _panel_decision_entries(episode):
    """What the Early Help and Family Support Panel decided for the case."""
    from django.utils.formats import date_format

    from panels.models import AgendaItem

    items = AgendaItem.objects.filter(episode=episode, outcome_recorded_at__isnull=False)
    for item in items.select_related(
        "panel", "decided_lead", "decided_organisation", "outcome_recorded_by"
    ):
        yield _entry(
            item.outcome_recorded_at,
            _("The panel on %(date)s decided: %(decision)s")
            % {
                "date": date_format(item.panel.meets_on, "j F Y"),
                "decision": item.decision_summary or _("see its advice"),
            },
            item.outcome,
            item.outcome_recorded_by,
        )


def chronology(episode):
    entries = [
        _entry(
            episode.requested_at,
            _("Early help requested"),
            episode.requesting_organisation.name,
            episode.requested_by,
        )
    ]
    entries += _consent_entries(episode)
    entries += _sharing_override_entries(episode)
    entries += _refusal_judgement_entries(episode)
    entries += _work_entries(episode)
    entries += _lead_change_entries(episode)
    entries += _panel_decision_entries(episode)
    if episode.closed_at:
        entries.append(
            _entry(
                episode.closed_at,
                _("Closed: %(reason)s") % {"reason": episode.get_closure_reason_display()},
                episode.closure_advice,
            )
        )
    entries.sort(key=lambda entry: entry.sort_key)
    return entries
