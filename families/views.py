"""The public ask-for-help pages: no sign-in, in the family's language (the
language is the first part of the path: /pl/ask-for-help/).

Nothing about any family is ever shown back: the confirmation shows the
reference and what happens next, never what was typed or matched."""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core.forms import posted, run_form_action

from . import services
from .forms import AskForHelpForm
from .models import reference_of
from .routing import destination_for

SENT_REFERENCE = "families_sent_reference"


def _page(request, template, context=None, status=200):
    """A family page, with the links to it in every language, each named in
    its own language (settings.LANGUAGES, untranslated)."""
    return render(
        request,
        template,
        {**(context or {}), "family_languages": settings.LANGUAGES},
        status=status,
    )


def _too_many(request):
    return _page(request, "families/too_many.html", status=429)


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request):
    if request.method == "POST" and services.over_limit(request):
        return _too_many(request)
    form = AskForHelpForm(posted(request))
    if request.method == "POST" and form.honeypot_filled():
        # A program filled the hidden field: it sees what a person would, and
        # nothing is kept.
        services.count_submission(request)
        request.session[SENT_REFERENCE] = reference_of(secrets.randbelow(900_000) + 100_000)
        return redirect("families:sent")

    def send(data):
        destination = destination_for(data["postcode"])
        if destination is None:
            raise ValidationError(
                {
                    "postcode": _(
                        "We cannot find an early help team for this postcode. Check it, or "
                        "contact your own council: GOV.UK can tell you which council it is"
                    )
                }
            )
        services.count_submission(request)
        sent = services.receive_request(destination, data, language=translation.get_language())
        request.session[SENT_REFERENCE] = sent.reference
        return sent

    if response := run_form_action(request, form, send, then=reverse("families:sent")):
        return response
    return _page(request, "families/ask.html", {"form": form})


@login_not_required
@never_cache
@require_GET
def sent(request):
    reference = request.session.get(SENT_REFERENCE)
    if not reference:
        return redirect("families:ask")
    return _page(request, "families/sent.html", {"reference": reference})
