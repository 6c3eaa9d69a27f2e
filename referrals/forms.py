from django import forms
from django.utils.translation import gettext_lazy as _

from .models import PanelReason, SignificantHarm

YES_NO = [("yes", _("Yes, they accepted it")), ("no", _("No, they did not accept it"))]


class StepUpForm(forms.Form):
    concern = forms.CharField(
        label=_("What is the concern?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("What has happened or been seen, when, and what the child has said."),
        error_messages={"required": _("Describe the concern for the child")},
    )
    significant_harm = forms.ChoiceField(
        label=_("Has the child suffered, or are they likely to suffer, significant harm?"),
        choices=SignificantHarm.choices,
        widget=forms.RadioSelect,
        required=False,
        help_text=_("If you are not sure, say so: do not wait to find out."),
    )


class DecisionForm(forms.Form):
    accepted = forms.ChoiceField(
        label=_("Did children's social care accept the referral?"),
        choices=YES_NO,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether the referral was accepted")},
    )
    advice = forms.CharField(
        label=_("Their advice"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("Needed if they did not accept it: what early help should do next."),
    )


class PanelReferralForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why are you referring the family to the panel?"),
        choices=PanelReason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose why the family is being referred to the panel")},
    )
    concern = forms.CharField(
        label=_("More detail"),
        help_text=_(
            "What has been tried and what you would like the panel to decide. "
            "Needed if you chose another reason."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=5000,
        required=False,
    )
