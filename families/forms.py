"""The family's ask-for-help form: one page, every question in plain words,
every limit stated, nothing a practitioner would need to explain."""

import unicodedata

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core import validators
from core.forms import GovukDateField

from .models import Asker

NAME_MAX = 100
SHORT_TEXT_MAX = 500
WORRIES_MAX = 2000
CHILD_SLOTS = 3  # the page asks for up to three children; the EHO hears of more by phone


def ascii_digits(value: str) -> str:
    """Digits typed in another script (Arabic-Indic ٣, Persian ۳) read as 0-9,
    so a phone number or postcode typed on an Arabic keyboard is understood."""
    return "".join(
        str(unicodedata.digit(char)) if char.isdigit() and not char.isascii() else char
        for char in value
    )


def _text(label, *, max_length, required=True, help_text="", required_message=None):
    return forms.CharField(
        label=label,
        max_length=max_length,
        required=required,
        help_text=help_text,
        error_messages={
            "required": required_message or _("Enter this"),
            "max_length": _("This must be %(limit_value)d characters or fewer"),
        },
    )


def _born(label):
    return GovukDateField(
        label=label,
        required=False,
        within=validators.birth_dates,
    )


class AskForHelpForm(forms.Form):
    asker = forms.ChoiceField(
        label=_("Who is asking for help?"),
        choices=Asker.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether you are a parent or carer, or a young person"),
            "invalid_choice": _("Select whether you are a parent or carer, or a young person"),
        },
    )
    first_name = _text(
        _("Your first name"),
        max_length=NAME_MAX,
        required_message=_("Enter your first name"),
    )
    last_name = _text(
        _("Your last name"),
        max_length=NAME_MAX,
        required_message=_("Enter your last name"),
    )
    date_of_birth = _born(_("Your date of birth"))
    phone = _text(
        _("Phone number"),
        max_length=30,
        required=False,
        help_text=_("For example, 07700 900 982"),
    )
    email = forms.EmailField(
        label=_("Email address"),
        max_length=254,
        required=False,
        error_messages={
            "invalid": _("Enter an email address in the correct format, like name@example.com"),
            "max_length": _("This must be %(limit_value)d characters or fewer"),
        },
    )
    may_leave_message = forms.ChoiceField(
        label=_("Can we leave a message or send a text?"),
        choices=[("yes", _("Yes")), ("no", _("No, please do not leave messages"))],
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Select whether we can leave a message"),
            "invalid_choice": _("Select whether we can leave a message"),
        },
    )
    contact_safety = forms.CharField(
        label=_("Is there a time when it is not safe to contact you?"),
        help_text=_(
            "For example, when someone else may see your phone. We will only contact you "
            "in the way you tell us is safe."
        ),
        max_length=SHORT_TEXT_MAX,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )
    postcode = _text(
        _("Your postcode"),
        max_length=10,
        help_text=_("We use it to find the early help team near you."),
        required_message=_("Enter your postcode"),
    )
    worries = forms.CharField(
        label=_("What are you worried about?"),
        help_text=_("Tell us in your own words. You can write in your own language."),
        max_length=WORRIES_MAX,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": _("Tell us what you are worried about"),
            "max_length": _("This must be %(limit_value)d characters or fewer"),
        },
    )
    consent = forms.BooleanField(
        label=_("I agree that the early help team can contact me about this request"),
        error_messages={"required": _("Tick the box to say we can contact you")},
    )
    # The honeypot: hidden from people and from screen readers (the template
    # wraps it in a hidden block); only a program filling every field fills it.
    website = forms.CharField(label=_("Leave this empty"), required=False, max_length=200)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phone"].widget.input_type = "tel"
        self.fields["phone"].widget.attrs.update(autocomplete="tel")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["postcode"].widget.attrs.update(autocomplete="postal-code")
        self.fields["first_name"].widget.attrs.update(autocomplete="given-name")
        self.fields["last_name"].widget.attrs.update(autocomplete="family-name")
        for slot in range(1, CHILD_SLOTS + 1):
            self.fields[f"child_{slot}_first_name"] = _text(
                _("First name"), max_length=NAME_MAX, required=False
            )
            self.fields[f"child_{slot}_last_name"] = _text(
                _("Last name"), max_length=NAME_MAX, required=False
            )
            self.fields[f"child_{slot}_date_of_birth"] = _born(_("Date of birth"))

    def child_fields(self):
        """Each child's three fields, for the template."""
        return [
            (
                slot,
                self[f"child_{slot}_first_name"],
                self[f"child_{slot}_last_name"],
                self[f"child_{slot}_date_of_birth"],
            )
            for slot in range(1, CHILD_SLOTS + 1)
        ]

    def honeypot_filled(self) -> bool:
        return bool(self.data.get("website", "").strip())

    def clean_phone(self):
        phone = ascii_digits(self.cleaned_data["phone"]).strip()
        return validators.normalise_phone(phone) if phone else ""

    def clean_postcode(self):
        try:
            return validators.normalise_postcode(ascii_digits(self.cleaned_data["postcode"]))
        except ValidationError:
            raise ValidationError(
                _("Enter a full UK postcode, like AA1 1AA"), code="postcode_format"
            ) from None

    def clean(self):
        data = super().clean()
        if not data.get("phone") and not data.get("email") and "phone" not in self.errors:
            self.add_error("phone", _("Enter a phone number or an email address"))
        today = timezone.localdate()
        if data.get("asker") == Asker.YOUNG_PERSON and "date_of_birth" not in self.errors:
            born = data.get("date_of_birth")
            if born is None:
                self.add_error("date_of_birth", _("Enter your date of birth"))
            elif born > today:
                self.add_error("date_of_birth", _("Your date of birth must be in the past"))
        children = []
        for slot in range(1, CHILD_SLOTS + 1):
            names = [
                f"child_{slot}_{part}" for part in ("first_name", "last_name", "date_of_birth")
            ]
            if any(name in self.errors for name in names):
                continue
            first, last, born = (data.get(name) for name in names)
            if not (first or last or born):
                continue
            if not first:
                self.add_error(names[0], _("Enter the child's first name"))
            if not last:
                self.add_error(names[1], _("Enter the child's last name"))
            if born is None:
                self.add_error(names[2], _("Enter the child's date of birth"))
            elif born > today:
                self.add_error(names[2], _("The child's date of birth must be in the past"))
            if first and last and born and born <= today:
                children.append({"first_name": first, "last_name": last, "date_of_birth": born})
        if data.get("asker") == Asker.YOUNG_PERSON and data.get("date_of_birth"):
            # A young person asking for themselves is the child the help is for.
            yourself = {
                "first_name": data.get("first_name", ""),
                "last_name": data.get("last_name", ""),
                "date_of_birth": data["date_of_birth"],
            }
            if yourself["first_name"] and yourself["last_name"]:
                children.insert(0, yourself)
        elif not children and not any(name.startswith("child_1") for name in self.errors):
            self.add_error("child_1_first_name", _("Tell us about at least one child"))
        data["children"] = children
        return data


# The family's voice: the questions a link opens (families/views.py) -------------

COMMENTS_MAX = 5000
# Strongly agree first, as people read a scale; stored as 5 to 1.
AGREE_CHOICES = [
    ("5", _("Strongly agree")),
    ("4", _("Agree")),
    ("3", _("Neither agree nor disagree")),
    ("2", _("Disagree")),
    ("1", _("Strongly disagree")),
]
# The children's version: three answers, each with a face beside its word
# (families/templates/families/_faces.html); stored as 5, 3 and 1.
CHILD_CHOICES = [("yes", _("Yes")), ("a_bit", _("A bit")), ("no", _("No"))]


def _scale(label, choices):
    return forms.ChoiceField(
        label=label,
        choices=choices,
        widget=forms.RadioSelect,
        required=False,
        error_messages={"invalid_choice": _("Choose one of the answers")},
    )


def _comments(label):
    return forms.CharField(
        label=label,
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=COMMENTS_MAX,
        required=False,
        error_messages={"max_length": _("This must be %(limit_value)d characters or fewer")},
    )


class _AtLeastOne(forms.Form):
    def clean(self):
        data = super().clean()
        if not self.errors and not any(data.get(name) for name in self.fields):
            raise ValidationError(_("Answer at least one question, or write something"))
        return data


class FeedbackForm(_AtLeastOne):
    listened = _scale(_("I felt listened to"), AGREE_CHOICES)
    better = _scale(_("Things are better for us"), AGREE_CHOICES)
    ask_again = _scale(_("I would ask for help again"), AGREE_CHOICES)
    comments = _comments(_("Is there anything else you want to tell us? (optional)"))


class ChildFeedbackForm(_AtLeastOne):
    listened = _scale(_("Did the people helping you listen to you?"), CHILD_CHOICES)
    better = _scale(_("Are things better for you now?"), CHILD_CHOICES)
    ask_again = _scale(_("Would you ask them for help again?"), CHILD_CHOICES)
    comments = _comments(_("Anything else you want to say? (optional)"))
