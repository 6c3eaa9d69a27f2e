from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.forms import GovukDateField
from core.validators import case_dates
from people import restrictions
from people.models import Person

from .models import Method, Purpose

YES_NO = [("yes", _("Yes")), ("no", _("No"))]


def person_label(viewer, person):
    """ "Name (age)", the age only when the viewer may see the date of birth."""
    age = restrictions.shown_to(viewer, person).age()
    return person.full_name if age is None else f"{person.full_name} ({age})"


class ConsentForm(forms.Form):
    person = forms.ModelChoiceField(
        label=_("Whose decision is this?"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whose decision it is")},
    )
    purpose = forms.ChoiceField(
        label=_("What were they asked?"),
        choices=Purpose.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what they were asked")},
    )
    organisations = forms.ModelMultipleChoiceField(
        label=_("Which organisations may information be shared with?"),
        queryset=Organisation.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Only for consent to sharing. Name each organisation."),
    )
    decision = forms.ChoiceField(
        label=_("Did they agree?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether they agreed")},
    )
    method = forms.ChoiceField(
        label=_("How was it given?"),
        choices=Method.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the decision was given")},
    )
    given_on = GovukDateField(
        label=_("Date of the decision"),
        within=case_dates,
        error_messages={"required": _("Enter the date of the decision")},
    )

    def __init__(self, *args, episode, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        # Ordered by name, not birth: the order would tell a restricted age.
        self.fields["person"].queryset = (
            Person.objects.filter(
                family_memberships__family=episode.family, expected_date_of_birth__isnull=True
            )
            .prefetch_related("restrictions")
            .order_by("first_name", "pk")
        )
        self.fields["person"].label_from_instance = lambda p: person_label(viewer, p)
        self.fields["organisations"].queryset = Organisation.objects.filter(
            local_authority=episode.local_authority
        ).order_by("type", "name")
        self.initial.setdefault("given_on", timezone.localdate())


class JudgementForm(forms.Form):
    escalates = forms.ChoiceField(
        label=_("Will the needs escalate without help?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        help_text=_(
            "If yes, you will be taken straight to the referral to children's social care."
        ),
        error_messages={"required": _("Choose whether the needs will escalate without help")},
    )
    reasoning = forms.CharField(
        label=_("Your reasoning"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Explain your judgement")},
    )
    advice = forms.CharField(
        label=_("Advice given to the family"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_(
            "If the needs will not escalate: what the family was told about other "
            "help and how to ask again."
        ),
    )


class WithdrawForm(forms.Form):
    note = forms.CharField(
        label=_("How and when was consent withdrawn?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how and when consent was withdrawn")},
    )


class OverrideReviewForm(forms.Form):
    justified = forms.ChoiceField(
        label=_("Was sharing without consent justified?"),
        choices=[
            ("yes", _("Yes: a child was at risk of significant harm")),
            ("no", _("No: stop sharing with this organisation now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether sharing without consent was justified")},
    )
    note = forms.CharField(
        label=_("Notes"),
        help_text=_("Required if it was not justified: say why, and what happens next"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )
