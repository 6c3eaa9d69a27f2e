"""The reports a user may open, for the one "Reports" link in the
navigation: each report's own policy decides, so the list never offers a
page that would refuse."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core import policy

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

    from accounts.models import User


@dataclass(frozen=True)
class ReportLink:
    title: StrOrPromise
    description: StrOrPromise
    url_name: str

    @property
    def href(self) -> str:
        return reverse(self.url_name)


REPORTS = [
    (
        policy.can_see_council_reports,
        ReportLink(
            _("Partnership report"),
            _(
                "How early help was used in a period, for the Safeguarding Children "
                "Partnership: figures only, with small numbers hidden."
            ),
            "reporting:partnership",
        ),
    ),
    (
        policy.can_see_performance,
        ReportLink(
            _("Performance indicators"),
            _(
                "Assessments, reviews and re-requests against the council's targets, "
                "month by month, by district and organisation type."
            ),
            "performance:indicators",
        ),
    ),
    (
        policy.can_see_supporting_families_claim,
        ReportLink(
            _("Supporting Families claim"),
            _(
                "Families whose needs were met and sustained for six months, with their "
                "evidence, and how many families early help worked with."
            ),
            "outcomes:claim",
        ),
    ),
    (
        policy.can_export_statutory_returns,
        ReportLink(
            _("Ofsted early help list (Annex A, List 2)"),
            _("The children who had an early help assessment in the six months before a date."),
            "returns:annex_a",
        ),
    ),
]


def reports_for(user: User) -> list[ReportLink]:
    return [link for may_open, link in REPORTS if may_open(user)]
