from django import forms
from django.utils.translation import gettext_lazy as _

from accounts.models import District
from episodes import states
from episodes.needs import Need
from episodes.request_forms import family_district_field
from people.models import Person

from .forms import AGREE_CHOICES, COMMENTS_MAX
from .models import RequestClosure


class StartCaseForm(forms.Form):
    """What the officer adds to a family's request to start its case."""

    district = family_district_field()
    needs = forms.MultipleChoiceField(
        label=_("Which needs does the family have?"),
        choices=Need.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Select all that apply, from what the family told you."),
        error_messages={"required": _("Choose at least one need")},
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = District.objects.filter(
            local_authority=user.local_authority
        )


# The family's voice and plan online, asked for by the case's worker --------------

CLOSURE = "closure"


def _members_field():
    return forms.ModelChoiceField(
        label=_("Who is it for?"),
        queryset=Person.objects.none(),
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose someone in the family"),
            "invalid_choice": _("Choose someone in the family"),
        },
    )


def _email_field():
    return forms.EmailField(
        label=_("Email address (optional)"),
        required=False,
        max_length=254,
        help_text=_(
            "We email the link to this address in the person's language. Leave it empty to "
            "give them the link yourself."
        ),
    )


class _ForFamily(forms.Form):
    def __init__(self, *args, episode, **kwargs):
        super().__init__(*args, **kwargs)
        self.episode = episode
        self.fields["person"].queryset = Person.objects.filter(
            family_memberships__family_id=episode.family_id
        ).order_by("family_memberships__id")

    def _when_field(self, initial_review=None):
        reviews = list(self.episode.reviews.order_by("-held_on", "-id"))
        choices = [
            (
                str(review.pk),
                _("The review on %(date)s")
                % {"date": f"{review.held_on.day} {review.held_on:%B %Y}"},
            )
            for review in reviews
        ]
        if states.allows(self.episode, "ask_closure_feedback"):
            choices.insert(0, (CLOSURE, _("The case's closure")))
        self.fields["when"] = forms.ChoiceField(
            label=_("Feedback on"),
            choices=choices,
            widget=forms.RadioSelect,
            initial=initial_review,
            error_messages={
                "required": _("Choose a review, or the closure"),
                "invalid_choice": _("Choose a review, or the closure"),
            },
        )

    def review(self):
        when = self.cleaned_data["when"]
        return None if when == CLOSURE else self.episode.reviews.get(pk=int(when))


class FeedbackLinkForm(_ForFamily):
    person = _members_field()
    email = _email_field()

    def __init__(self, *args, initial_review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._when_field(initial_review)
        self.order_fields(["when", "person", "email"])


class PlanLinkForm(_ForFamily):
    person = _members_field()
    email = _email_field()


class PaperFeedbackForm(_ForFamily):
    person = _members_field()
    listened = forms.ChoiceField(
        label=_("I felt listened to"),
        choices=AGREE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    better = forms.ChoiceField(
        label=_("Things are better for us"),
        choices=AGREE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    ask_again = forms.ChoiceField(
        label=_("I would ask for help again"),
        choices=AGREE_CHOICES,
        widget=forms.RadioSelect,
        required=False,
    )
    comments = forms.CharField(
        label=_("What they wrote"),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENTS_MAX,
        required=False,
    )

    def __init__(self, *args, initial_review=None, **kwargs):
        super().__init__(*args, **kwargs)
        self._when_field(initial_review)
        self.order_fields(["when", "person", "listened", "better", "ask_again", "comments"])
        for name in ("listened", "better", "ask_again"):
            self.fields[name].help_text = _(
                "On the children's form: Yes is 'Strongly agree', A bit is 'Neither agree "
                "nor disagree', No is 'Strongly disagree'."
            )


class CloseRequestForm(forms.Form):
    """How the officer dealt with a family's request without starting a case."""

    reason = forms.ChoiceField(
        label=_("How was the request dealt with?"),
        choices=RequestClosure.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose how the request was dealt with"),
            "invalid_choice": _("Choose how the request was dealt with"),
        },
    )
    note = forms.CharField(
        label=_("What was done (optional)"),
        help_text=_(
            "For example, the advice given or the service the family was passed to. "
            "Do not repeat what the family told you."
        ),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("Keep the note to 2,000 characters or fewer")},
    )
