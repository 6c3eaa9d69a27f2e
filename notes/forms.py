from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.forms import GovukDateField
from core.validators import case_dates

from .models import AttachmentKind, NoteKind


class NoteForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of contact?"),
        choices=NoteKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of contact it was")},
    )
    happened_on = GovukDateField(
        label=_("Date"), within=case_dates, error_messages={"required": _("Enter the date")}
    )
    who = forms.CharField(
        label=_("Who was there?"),
        max_length=300,
        error_messages={"required": _("Say who was there")},
    )
    what_happened = forms.CharField(
        label=_("What happened?"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Describe what happened")},
    )

    def clean_happened_on(self):
        value = self.cleaned_data["happened_on"]
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("The date must be today or in the past"))
        return value


class AttachmentForm(forms.Form):
    file = forms.FileField(
        label=_("Upload a file"),
        help_text=_("PDF, Word, OpenDocument, PNG, JPG or text, up to 10 MB."),
        error_messages={"required": _("Select a file")},
    )
    kind = forms.ChoiceField(
        label=_("What is it?"),
        choices=AttachmentKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what the file is")},
    )
    description = forms.CharField(label=_("Description (optional)"), max_length=200, required=False)
