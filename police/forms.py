import datetime
import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import LocalAuthority, Organisation
from core.forms import GovukDateField
from core.validators import birth_dates, case_dates

from .models import IncidentKind
from .services import SETTINGS, ChildNamed

MAX_CHILDREN = 4  # more are recorded as a second notification with the same incident
TIME_PATTERN = re.compile(r"([01]?[0-9]|2[0-3])[:.]([0-5][0-9])")  # ASCII digits only


class TimeOfDayField(forms.Field):
    """A time typed on the 24-hour clock ("21:30" or "21.30")."""

    def to_python(self, value):
        value = str(value or "").strip()
        if not value:
            return None
        match = TIME_PATTERN.fullmatch(value)
        if not match:
            raise forms.ValidationError(
                _("Enter the time on the 24-hour clock, like 21:30"), code="invalid"
            )
        return datetime.time(int(match.group(1)), int(match.group(2)))


class NotificationForm(forms.Form):
    police_reference = forms.CharField(
        label=_("Police reference"),
        max_length=50,
        error_messages={"required": _("Enter the police reference")},
    )
    incident_on = GovukDateField(
        label=_("Date of the incident"),
        within=case_dates,
        error_messages={"required": _("Enter the date of the incident")},
    )
    incident_time = TimeOfDayField(
        label=_("Time of the incident"),
        help_text=_("On the 24-hour clock, for example 21:30."),
        widget=forms.TextInput(attrs={"class": "govuk-input--width-5"}),
        error_messages={"required": _("Enter the time of the incident")},
    )
    kind = forms.ChoiceField(
        label=_("Type of incident"),
        choices=IncidentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the type of incident")},
    )
    circumstances = forms.CharField(
        label=_("Brief circumstances"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What the school needs to know to support the child. Keep it brief."),
        error_messages={"required": _("Enter the brief circumstances")},
    )
    school = forms.ModelChoiceField(
        label=_("School or setting to tell"),
        queryset=None,
        required=False,
        empty_label=_("No school or setting"),
        error_messages={"invalid_choice": _("Choose a school or setting from the list")},
    )

    def __init__(self, *args, la: LocalAuthority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = Organisation.objects.filter(
            local_authority=la, type__in=SETTINGS
        ).order_by("name")
        for number in range(1, MAX_CHILDREN + 1):
            first = number == 1
            self.fields[f"child_{number}_first_name"] = forms.CharField(
                label=_("First name"), max_length=100, required=False
            )
            self.fields[f"child_{number}_last_name"] = forms.CharField(
                label=_("Last name"), max_length=100, required=False
            )
            self.fields[f"child_{number}_date_of_birth"] = GovukDateField(
                label=_("Date of birth"), within=birth_dates, required=False
            )
            self.fields[f"child_{number}_postcode"] = forms.CharField(
                label=_("Postcode"), max_length=10, required=False
            )
            self.fields[f"child_{number}_present"] = forms.ChoiceField(
                label=_("Was the child present?"),
                choices=[("yes", _("Yes")), ("no", _("No"))],
                widget=forms.RadioSelect,
                required=False,
                error_messages={"invalid_choice": _("Choose yes or no")},
            )
            if first:
                self.fields["child_1_first_name"].error_messages["required"] = _(
                    "Enter the child's first name"
                )

    def child_fields(self):
        """The bound fields of each child, for the template's fieldsets."""
        return [
            [
                self[f"child_{number}_{part}"]
                for part in ("first_name", "last_name", "date_of_birth", "postcode", "present")
            ]
            for number in range(1, MAX_CHILDREN + 1)
        ]

    def clean(self):
        data = super().clean()
        children = []
        for number in range(1, MAX_CHILDREN + 1):
            parts = {
                part: data.get(f"child_{number}_{part}")
                for part in ("first_name", "last_name", "date_of_birth", "postcode", "present")
            }
            if not any(parts.values()):
                continue
            for part, message in (
                ("first_name", _("Enter child %(n)s's first name")),
                ("last_name", _("Enter child %(n)s's last name")),
                ("present", _("Say whether child %(n)s was present")),
            ):
                if not parts[part]:
                    self.add_error(f"child_{number}_{part}", message % {"n": number})
            children.append(
                ChildNamed(
                    first_name=parts["first_name"] or "",
                    last_name=parts["last_name"] or "",
                    date_of_birth=parts["date_of_birth"],
                    postcode=parts["postcode"] or "",
                    present=parts["present"] == "yes",
                )
            )
        if not children:
            self.add_error("child_1_first_name", _("Name at least one child"))
        data["children"] = children
        if data.get("incident_on") and data.get("incident_time"):
            data["incident_at"] = timezone.make_aware(
                datetime.datetime.combine(data["incident_on"], data["incident_time"])
            )
        return data


class AcknowledgeForm(forms.Form):
    note = forms.CharField(
        label=_("Note (optional)"),
        max_length=300,
        required=False,
        help_text=_("For example, if you told the school by phone: whom you spoke to."),
    )


class NonSchoolDayForm(forms.Form):
    first_day = GovukDateField(
        label=_("First day closed"),
        within=case_dates,
        error_messages={"required": _("Enter the first day the schools are closed")},
    )
    last_day = GovukDateField(
        label=_("Last day closed (optional)"),
        within=case_dates,
        required=False,
        help_text=_("For a holiday of more than one day. Weekends are left out."),
    )
    name = forms.CharField(
        label=_("What it is (optional)"),
        max_length=100,
        required=False,
        help_text=_("For example, Training day or Christmas holiday."),
    )
