from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ClosureReason, NeedOutcome

CLOSING_REASONS = [c for c in ClosureReason.choices if c[0] != ClosureReason.STEPPED_UP]


class CloseForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Why is early help closing?"),
        choices=CLOSING_REASONS,
        widget=forms.RadioSelect,
        help_text=_("To step up, refer to children's social care instead."),
        error_messages={"required": _("Choose why early help is closing")},
    )
    summary = forms.CharField(
        label=_("Closing summary"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
        help_text=_("What changed for the family, and any advice given."),
    )

    def __init__(self, *args, needs, **kwargs):
        super().__init__(*args, **kwargs)
        self.need_fields = []
        for need in needs:
            name = f"need_{need.pk}"
            self.fields[name] = forms.ChoiceField(
                label=_("%(need)s: was it met?") % {"need": need.get_need_display()},
                choices=NeedOutcome.choices,
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether the need '%(need)s' was met")
                    % {"need": need.get_need_display()}
                },
            )
            self.need_fields.append((need.pk, name))

    def need_outcomes(self):
        return {pk: self.cleaned_data[name] for pk, name in self.need_fields}
