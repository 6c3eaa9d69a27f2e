"""Each council's targets for its performance indicators (performance.
indicators), set by its administrators and managers. The timescales the
indicators hold cases to are not repeated here: the days to complete an
assessment are the drift timescale (oversight.models.Timescales) and the
review interval is the council's own setting (LocalAuthority), so "on time"
means the same on the worklist, the case page and this page."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority
from core.council_records import CouncilManager


def _percent(label, default, help_text=""):
    return models.PositiveSmallIntegerField(
        label,
        default=default,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
        help_text=help_text,
    )


class Targets(models.Model):
    """One row per council, made on its first save; until then the council
    is read with these defaults (performance.services.targets_for)."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="performance_targets"
    )
    assessment_on_time = _percent(_("Assessments completed within the timescale (% at least)"), 80)
    first_review_on_time = _percent(
        _("First reviews held within the review interval (% at least)"), 80
    )
    reviews_on_time = _percent(_("Reviews held on time (% at least)"), 80)
    re_requests = _percent(_("Requests that are re-requests within 12 months (% at most)"), 20)
    amber_points = models.PositiveSmallIntegerField(
        _("Amber band (percentage points)"),
        default=5,
        validators=[MinValueValidator(0), MaxValueValidator(50)],
        help_text=_(
            "A figure this close to its target, on the wrong side, is amber; further away is red."
        ),
    )
    updated_at = models.DateTimeField(auto_now=True)

    # Limited to the council served (core/council_records.py): its saves too.
    objects = CouncilManager()

    class Meta:
        verbose_name_plural = "targets"

    def __str__(self):
        return f"Performance targets of {self.local_authority}"


class Figures(models.Model):
    """A council's indicators as last worked out by the scheduled job
    (performance.figures): each indicator's monthly counts, met and base,
    for the council, each district and each requesting organisation's type.
    Targets are not kept: the page applies the council's targets as they
    are when it is read."""

    local_authority = models.OneToOneField(
        LocalAuthority, on_delete=models.CASCADE, related_name="performance_figures"
    )
    # Its day (in the council's time zone) is the day the twelve months end on.
    worked_out_at = models.DateTimeField()
    # {"months": ["2026-01-01", ...], "indicators": {key: {"kind|value": [[met, base], ...]}}}
    counts = models.JSONField()

    objects = CouncilManager()

    class Meta:
        verbose_name_plural = "figures"

    def __str__(self):
        return f"Performance figures of {self.local_authority} at {self.worked_out_at}"
