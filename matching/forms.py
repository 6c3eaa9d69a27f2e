from django import forms
from django.utils.translation import gettext_lazy as _

KEEP_FIRST, KEEP_SECOND, DIFFERENT = "keep_first", "keep_second", "different"


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Are these the same person?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose whether to merge the records or keep both")},
    )
    reason = forms.CharField(
        label=_("How do you know?"),
        help_text=_(
            "For example, 'Same child: the school confirmed the date of birth' or 'Twins'. "
            "Kept with the decision."
        ),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say how you know, so others can check the decision")},
    )

    def __init__(self, *args, first, second, can_merge, **kwargs):
        super().__init__(*args, **kwargs)
        choices = []
        if can_merge:
            choices = [
                (KEEP_FIRST, _("Yes: merge them, keeping record A (%(name)s)") % {"name": first}),
                (KEEP_SECOND, _("Yes: merge them, keeping record B (%(name)s)") % {"name": second}),
            ]
        choices.append((DIFFERENT, _("No: these are different people")))
        self.fields["decision"].choices = choices


class UndoForm(forms.Form):
    reason = forms.CharField(
        label=_("Why are you undoing this merge?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the merge is being undone")},
    )
