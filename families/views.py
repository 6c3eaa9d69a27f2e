"""The public ask-for-help pages: no sign-in, in the family's language (the
language is the first part of the path: /pl/ask-for-help/).

One page of questions, then the family checks their answers, then sends.
Nothing about any family is ever shown back: the check page shows only what
this person has just typed (carried in the page, never stored), and the
confirmation the reference and what happens next, never anything matched."""

import secrets

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from core import councils
from core.forms import posted, run_form_action

from . import links, services
from .forms import AskForHelpForm, ChildFeedbackForm, FeedbackForm
from .languages import family_language, family_languages
from .models import Asker, FeedbackVersion, LinkPurpose, reference_of
from .routing import destination_for

SENT_REFERENCE = "families_sent_reference"
# The check page's buttons.
CONFIRM = "confirm"
CHANGE = "change"
NOT_CARRIED = {"csrfmiddlewaretoken", CONFIRM, CHANGE, "website"}
NO_TEAM_FOR_POSTCODE = gettext_lazy(
    "We cannot find an early help team for this postcode. Check it, or "
    "contact your own council: GOV.UK can tell you which council it is"
)


def _page(request, template, context=None, status=200):
    """A family page, with the links to it in every language, each named in
    its own language (untranslated)."""
    return render(
        request,
        template,
        {**(context or {}), "family_languages": family_languages()},
        status=status,
    )


def _too_large(request):
    """Far more than the questions allow (a program, not a person)."""
    return int(request.META.get("CONTENT_LENGTH") or 0) > settings.FAMILY_REQUEST_MAX_BYTES


def _check_answers(request, form):
    """The answers as typed, to check, with the posted values carried as hidden
    fields so that sending or changing them needs nothing stored."""
    carried = [
        (name, value)
        for name, values in request.POST.lists()
        if name not in NOT_CARRIED
        for value in values
    ]
    data = form.cleaned_data
    # A young person asking for themselves is the first child: not listed twice.
    children = data["children"][1:] if data["asker"] == Asker.YOUNG_PERSON else data["children"]
    return _page(
        request,
        "families/check.html",
        {"form": form, "data": data, "children": children, "carried": carried},
    )


@login_not_required
@never_cache
@require_http_methods(["GET", "POST"])
def ask(request):
    if request.method == "POST" and (services.over_limit(request) or _too_large(request)):
        status = 413 if _too_large(request) else 429
        return _page(request, "families/too_many.html", {"too_large": status == 413}, status)
    form = AskForHelpForm(posted(request))
    if request.method == "POST" and form.honeypot_filled():
        # A program filled the hidden field: it sees what a person would, and
        # nothing is kept.
        services.count_submission(request)
        request.session[SENT_REFERENCE] = reference_of(secrets.randbelow(900_000) + 100_000)
        return redirect("families:sent")
    if request.method == "POST" and CONFIRM not in request.POST:
        # First the answers are checked: shown again to change (CHANGE), or
        # to check before sending.
        if form.is_valid() and destination_for(form.cleaned_data["postcode"]) is None:
            form.add_error("postcode", NO_TEAM_FOR_POSTCODE)
        if form.is_valid() and CHANGE not in request.POST:
            return _check_answers(request, form)
        return _page(request, "families/ask.html", {"form": form})

    def send(data):
        destination = destination_for(data["postcode"])
        if destination is None:
            raise ValidationError({"postcode": str(NO_TEAM_FOR_POSTCODE)})
        services.count_submission(request)
        sent = services.receive_request(destination, data, language=translation.get_language())
        request.session[SENT_REFERENCE] = sent.reference
        return sent

    if response := run_form_action(request, form, send, then=reverse("families:sent")):
        return response
    return _page(request, "families/ask.html", {"form": form})


@login_not_required
@require_GET
def choose_language(request):
    """/ask-for-help/ (the address a leaflet prints): the page in the browser's
    language when it is one of the family languages, else in English."""
    response = redirect(f"/{family_language(request)}/ask-for-help/")
    response.headers["Vary"] = "Accept-Language"
    return response


@login_not_required
@never_cache
@require_GET
def sent(request):
    reference = request.session.get(SENT_REFERENCE)
    if not reference:
        return redirect("families:ask")
    return _page(request, "families/sent.html", {"reference": reference})


# The link pages: a family member's feedback and their plan online ---------------
# Only what the link is for is shown: the questions, or the plan. An unknown,
# expired, used or revoked link all show the same page ("link_gone"), so a
# token cannot be probed. Every visit counts against the client's hourly
# limit (FAMILY_LINK_VISITS_PER_HOUR), like the ask-for-help page's requests.

FEEDBACK_SENT = "families_feedback_sent"


def _link_page(request, template, context=None, status=200):
    response = render(request, template, context or {}, status=status)
    # The token is in the address: never sent on to another site (same-origin,
    # not no-referrer: with no referrer the browser posts the form with
    # "Origin: null", which CSRF checking refuses), and never written to a log
    # (Django logs the path of every 4xx response: this marks it logged
    # already; the request log names the route, not the path).
    response.headers["Referrer-Policy"] = "same-origin"
    response._has_been_logged = True  # type: ignore[attr-defined]
    return response


def _limited(request):
    if services.over_limit(request, "link"):
        return _link_page(request, "families/link_too_many.html", status=429)
    services.count_submission(request, "link")
    return None


def _gone(request):
    return _link_page(request, "families/link_gone.html", status=404)


@login_not_required
@never_cache
@councils.any_council
@require_http_methods(["GET", "POST"])
def feedback(request, token):
    if limited := _limited(request):
        return limited
    if _too_large(request):
        return _link_page(request, "families/link_too_many.html", {"too_large": True}, 413)
    link = links.usable(token, LinkPurpose.FEEDBACK)
    if link is None:
        return _gone(request)
    form_class = ChildFeedbackForm if link.version == FeedbackVersion.CHILD else FeedbackForm
    form = form_class(posted(request))

    def give(data):
        services.give_feedback(link, data)
        request.session[FEEDBACK_SENT] = True

    try:
        with councils.serving(link.local_authority_id):
            if response := run_form_action(request, form, give, then=reverse("families:thanks")):
                return response
    except services.LinkUnusable:
        return _gone(request)
    template = (
        "families/feedback_child.html"
        if form_class is ChildFeedbackForm
        else ("families/feedback.html")
    )
    return _link_page(request, template, {"form": form, "link": link})


@login_not_required
@never_cache
@require_GET
def thanks(request):
    if not request.session.pop(FEEDBACK_SENT, False):
        return _gone(request)
    return _link_page(request, "families/feedback_thanks.html")


@login_not_required
@never_cache
@councils.any_council
@require_GET
def plan(request, token):
    if limited := _limited(request):
        return limited
    link = links.usable(token, LinkPurpose.PLAN)
    family_plan = None
    if link is not None:
        with councils.serving(link.local_authority_id):
            family_plan = services.open_plan(link)
    if family_plan is None:
        return _gone(request)
    return _link_page(request, "families/plan.html", {"plan": family_plan})
