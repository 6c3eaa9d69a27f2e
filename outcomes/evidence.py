"""What shows an outcome: a kind of evidence (episodes.models.OutcomeEvidence),
a short description and a date. The one rule for it, used at closure (each
need's outcome) and at the six-month check (whether it was sustained):
evidence is required where the outcome is claimed (achieved, sustained), and
its date is neither in the future nor before `earliest` (when the need was
recorded; when the case closed)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from episodes.models import OutcomeEvidence

# Long enough for a sentence or two and a figure; the rest belongs in a note.
EVIDENCE_MAX_LENGTH = 1000


@dataclass(frozen=True)
class Evidence:
    kind: str = ""  # an OutcomeEvidence key
    text: str = ""
    on: date | None = None

    @property
    def given(self) -> bool:
        return bool(self.kind or self.text.strip() or self.on)


def problems(
    subject: str, evidence: Evidence, *, required: bool, earliest: date, today: date
) -> dict[str, str]:
    """What is wrong with `evidence` about `subject` (a need's name), by part:
    "kind", "text", "on". Empty when it may be saved."""
    found: dict[str, str] = {}
    if evidence.kind and evidence.kind not in OutcomeEvidence.values:
        found["kind"] = _("Choose what shows the outcome of '%(need)s'") % {"need": subject}
    if required and not evidence.kind:
        found["kind"] = _("Choose what shows the outcome of '%(need)s'") % {"need": subject}
    if required and not evidence.text.strip():
        found["text"] = _("Describe the evidence for '%(need)s'") % {"need": subject}
    if len(evidence.text) > EVIDENCE_MAX_LENGTH:
        found["text"] = _("The evidence for '%(need)s' must be %(max)s characters or fewer") % {
            "need": subject,
            "max": EVIDENCE_MAX_LENGTH,
        }
    if "\x00" in evidence.text:
        found["text"] = _(
            "The evidence for '%(need)s' contains a character that is not allowed"
        ) % {"need": subject}
    if evidence.on is None:
        if required:
            found["on"] = _("Enter the date of the outcome of '%(need)s'") % {"need": subject}
    elif evidence.on > today:
        found["on"] = _("The date of the outcome of '%(need)s' must be today or in the past") % {
            "need": subject
        }
    elif evidence.on < earliest:
        found["on"] = _(
            "The date of the outcome of '%(need)s' must be on or after %(earliest)s"
        ) % {"need": subject, "earliest": date_format(earliest, "j F Y")}
    return found
