"""Forms of the API clients pages (api/admin_views.py)."""

from django import forms
from django.conf import settings
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import Organisation
from core.forms import WholeNumberField
from webhooks.models import Event

from .models import Scope


def _default_days_hint() -> str:
    return gettext("Leave empty for %(days)s days") % {"days": settings.API_TOKEN_DAYS}


# Lazy, so the hint is in the language of the page that shows it, not the one
# active when this module was first imported.
default_days_hint = lazy(_default_days_hint, str)


class RegisterClientForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_(
            "The partner system, as your colleagues will know it, such as 'Force control room'"
        ),
        error_messages={
            "required": _("Enter the client's name"),
            "max_length": _("A client's name must be 100 characters or fewer"),
        },
    )
    organisation = forms.ModelChoiceField(
        label=_("Organisation"),
        queryset=Organisation.objects.none(),
        help_text=_("The client acts as this organisation and sees only what its staff may"),
        error_messages={
            "required": _("Choose the organisation the client acts as"),
            "invalid_choice": _("Choose an organisation from the list"),
        },
    )
    scopes = forms.MultipleChoiceField(
        label=_("What it may do"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one thing the client may do"),
            "invalid_choice": _("Choose from the list"),
        },
    )
    days = WholeNumberField(
        label=_("Days until the token expires"),
        required=False,
        min_value=1,
        max_value=3650,
        help_text=default_days_hint(),
        error_messages={
            "invalid": _("Enter the number of days as a whole number, like 365"),
            "min_value": _("The token must last at least 1 day"),
            "max_value": _("The token can last at most 3650 days: rotate it before then"),
        },
    )

    def __init__(self, *args, local_authority, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(
            local_authority=local_authority
        ).order_by("name")


class SubscriptionForm(forms.Form):
    url = forms.CharField(
        label=_("Address to post events to"),
        max_length=500,
        help_text=_("It must start https://"),
        error_messages={
            "required": _("Enter the address to post events to, starting https://"),
            "max_length": _("The address must be 500 characters or fewer"),
        },
    )
    events = forms.MultipleChoiceField(
        label=_("Events"),
        choices=Event.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={
            "required": _("Choose at least one event"),
            "invalid_choice": _("Choose events from the list"),
        },
    )
