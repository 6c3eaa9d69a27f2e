"""The quality assurance part of the case page: the case's audits, for those
who may read them (the auditors and the team), with what each may do."""

from django import template

from core import policy
from episodes.records_present import absent
from quality.services import audits_read_by

register = template.Library()


@register.simple_tag
def case_audits(episode, user):
    if not getattr(user, "is_authenticated", False):
        return {"audits": [], "can_audit": False, "can_respond": False, "shown": False}
    # None to read when the case page found the case has none.
    audits = [] if absent(episode, "quality_audits") else audits_read_by(user, episode)
    can_audit = policy.can_audit_case(user, episode)
    can_respond = bool(audits) and policy.can_respond_to_audit(user, audits[0])
    return {
        "audits": audits,
        "can_audit": can_audit,
        "can_respond": can_respond,
        "shown": can_audit or bool(audits),
    }
