from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.scoring import add_score_fields
from core.forms import GovukDateField
from core.validators import case_dates
from plans.models import ActionStatus

from .models import Decision, Engagement


class ReviewForm(forms.Form):
    held_on = GovukDateField(
        label=_("Date of the review"),
        within=case_dates,
        help_text=_("For example, 27 3 2025"),
        error_messages={"required": _("Enter the date of the review")},
    )
    family_views = forms.CharField(
        label=_("The family's views"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("In their own words where you can"),
        error_messages={"required": _("Record the family's views")},
    )
    engagement = forms.ChoiceField(
        label=_("How is the family engaging?"),
        choices=Engagement.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose how the family is engaging")},
    )
    decision = forms.ChoiceField(
        label=_("What did the review decide?"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision of the review")},
    )
    panel_concern = forms.CharField(
        label=_("Why the case is going to the Early Help and Family Support Panel"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Only if referring to the panel: what the team cannot deliver, or why"),
    )
    notes = forms.CharField(
        label=_("Other notes"), required=False, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args, episode, actions, children, **kwargs):
        """`children` are the children the review asks (services.review_children)."""
        super().__init__(*args, **kwargs)
        self.actions = actions
        self.children = children
        self.initial.setdefault("held_on", timezone.localdate())
        for action in actions:
            status = f"progress-{action.pk}-status"
            self.fields[status] = forms.ChoiceField(
                label=_("Progress on “%(what)s”") % {"what": action.what},
                choices=ActionStatus.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.initial.setdefault(status, action.status)
            self.fields[f"progress-{action.pk}-note"] = forms.CharField(
                label=_("Notes on progress"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 2}),
                help_text=_("Required if the action was not done: say why"),
            )
        for child in children:
            self.fields[f"views_{child.person.pk}"] = forms.CharField(
                label=_("%(name)s's views") % {"name": child.person.full_name},
                required=False,
                widget=forms.Textarea(attrs={"rows": 4}),
                help_text=_("What you saw and heard, for a young child")
                if child.young
                else _("Their wishes and feelings, in their own words"),
            )
        add_score_fields(self, episode)

    def clean(self):
        cleaned = super().clean()
        for action in self.actions:
            status = cleaned.get(f"progress-{action.pk}-status")
            note = (cleaned.get(f"progress-{action.pk}-note") or "").strip()
            if not status:
                self.add_error(
                    f"progress-{action.pk}-status",
                    _("Record progress on the action “%(what)s”") % {"what": action.what},
                )
            elif status == ActionStatus.NOT_DONE and not note:
                self.add_error(
                    f"progress-{action.pk}-note",
                    _("Say why the action “%(what)s” was not done") % {"what": action.what},
                )
        if (
            cleaned.get("decision") == Decision.PANEL
            and not (cleaned.get("panel_concern") or "").strip()
        ):
            self.add_error("panel_concern", _("Say why the case is being referred to the panel"))
        return cleaned

    def progress_rows(self):
        return [
            {
                "action": action,
                "status": self[f"progress-{action.pk}-status"],
                "note": self[f"progress-{action.pk}-note"],
            }
            for action in self.actions
        ]

    def child_rows(self):
        """Each child's views with their own score, if they give one."""
        return [
            {
                "child": child.person,
                "views": self[f"views_{child.person.pk}"],
                "score": self[child.score_field] if child.score_field in self.fields else None,
            }
            for child in self.children
        ]

    def score_fields(self):
        """The practitioner's and each parent's or carer's score (a child's is
        with their views)."""
        children = {child.score_field for child in self.children}
        return [
            self[name] for name in self.fields if name.startswith("score_") and name not in children
        ]

    def service_arguments(self):
        data = self.cleaned_data
        return {
            "held_on": data["held_on"],
            "progress": {
                action.pk: {
                    "status": data[f"progress-{action.pk}-status"],
                    "note": data[f"progress-{action.pk}-note"],
                }
                for action in self.actions
            },
            "scores": {k: v for k, v in data.items() if k.startswith("score_")},
            "family_views": data["family_views"],
            "children_views": {
                child.person.pk: data[f"views_{child.person.pk}"] for child in self.children
            },
            "engagement": data["engagement"],
            "decision": data["decision"],
            "panel_concern": data["panel_concern"],
            "notes": data["notes"],
        }
