from django.utils.translation import gettext_lazy as _

from core.forms import PeriodForm as BasePeriodForm


class PeriodForm(BasePeriodForm):
    """The partnership report's period: at most two years, enough for a year
    compared with the last, short enough that a page of figures stays quick."""

    max_days = 2 * 366
    too_long = _("A report covers at most two years: choose a shorter period")
