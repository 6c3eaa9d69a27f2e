"""Pages for arranging the Early Help and Family Support Panel; each fetches
the panel through core.policy first. Panel members see their agendas on the
home page (core.views.home), not here."""

from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from audit.models import Action
from audit.services import record
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from episodes.lead_professional import lead_candidates

from . import services
from .forms import AddCaseForm, AddMemberForm, ArrangePanelForm, OutcomeForm, member_label
from .models import AgendaItem

CLOSED_SHOWN = 50


def _date(panel):
    return date_format(panel.meets_on, "j F Y")


def for_open_panel(view):
    """Fetch the panel through the policy; a closed panel shows why nothing on
    it can change instead of the form (the services refuse it too)."""

    @wraps(view)
    def wrapper(request, pk, **kwargs):
        panel = policy.get_panel_for(request.user, pk, request)
        if not panel.is_open:
            return render(request, "panels/closed.html", {"panel": panel}, status=409)
        return view(request, panel, **kwargs)

    return wrapper


def panel_list(request):
    if not policy.can_manage_panels(request.user):
        raise PermissionDenied
    panels = policy.panels_managed_by(request.user).annotate(
        member_count=Count("members", distinct=True),
        case_count=Count("agenda_items", distinct=True),
    )
    return render(
        request,
        "panels/panel_list.html",
        {
            "open_panels": panels.filter(closed_at__isnull=True).order_by("meets_on", "id"),
            "closed_panels": panels.filter(closed_at__isnull=False).order_by("-meets_on", "-id")[
                :CLOSED_SHOWN
            ],
            "closed_shown": CLOSED_SHOWN,
        },
    )


@require_http_methods(["GET", "POST"])
def arrange(request):
    if not policy.can_manage_panels(request.user):
        raise PermissionDenied
    form = ArrangePanelForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda data: services.arrange_panel(
            request.user, meets_on=data["meets_on"], request=request
        ),
        success=lambda panel: _("Panel arranged for %(date)s") % {"date": _date(panel)},
        then=lambda panel: reverse("panels:detail", kwargs={"pk": panel.pk}),
    )
    if done:
        return done
    return render(request, "panels/arrange.html", {"form": form})


def panel_detail(request, pk):
    panel = policy.get_panel_for(request.user, pk, request)
    record(Action.VIEW, actor=request.user, obj=panel, request=request)
    members = panel.members.prefetch_related("memberships__organisation").order_by("full_name")
    items = panel.agenda_items.select_related("episode__family", "referral")
    return render(
        request,
        "panels/panel_detail.html",
        {
            "panel": panel,
            "members": [{"user": user, "label": member_label(user)} for user in members],
            "items": items,
        },
    )


@require_http_methods(["GET", "POST"])
@for_open_panel
def add_member(request, panel):
    users = services.members_offered(panel).prefetch_related("memberships__organisation")
    form = AddMemberForm(posted(request), users=users)

    def add(data):
        user = users.filter(pk=data["member"]).first()
        services.add_member(request.user, panel, user, request=request)
        return user

    done = run_form_action(
        request,
        form,
        add,
        success=lambda user: _("%(name)s now sits on the panel") % {"name": user.full_name},
        then=reverse("panels:detail", kwargs={"pk": panel.pk}),
    )
    if done:
        return done
    return render(request, "panels/add_member.html", {"panel": panel, "form": form})


@require_POST
@for_open_panel
def remove_member(request, panel, user_pk):
    user = panel.members.filter(pk=user_pk).first()
    if user is None:
        raise Http404("Not a member of this panel.")
    services.remove_member(request.user, panel, user, request=request)
    messages.success(request, _("%(name)s no longer sits on the panel") % {"name": user.full_name})
    return redirect("panels:detail", pk=panel.pk)


@require_http_methods(["GET", "POST"])
@for_open_panel
def add_case(request, panel):
    referrals = list(
        services.referrals_awaiting_panel(panel.local_authority_id).exclude(
            episode__in=panel.agenda_items.values("episode")
        )
    )
    form = AddCaseForm(posted(request), referrals=referrals)

    def add(data):
        referral = form.referrals.get(data.get("referral"))
        if referral is not None:
            episode = referral.episode
        else:
            episode = services.find_case(panel, data["reference"])
        return services.add_to_agenda(
            request.user, panel, episode, referral=referral, request=request
        )

    done = run_form_action(
        request,
        form,
        add,
        success=lambda item: _("%(ref)s added to the agenda") % {"ref": item.episode.reference},
        then=reverse("panels:detail", kwargs={"pk": panel.pk}),
    )
    if done:
        return done
    return render(request, "panels/add_case.html", {"panel": panel, "form": form})


@require_http_methods(["GET", "POST"])
@for_open_panel
def outcome(request, panel, item_pk):
    item = (
        AgendaItem.objects.select_related(
            "episode__family", "referral", "panel", "decided_lead", "decided_organisation"
        )
        .filter(panel=panel, pk=item_pk)
        .first()
    )
    if item is None:
        raise Http404("No such case on this panel's agenda.")
    context = {"panel": panel, "item": item}
    if item.is_decided:
        # The decision acted on the case: it is shown, not changed.
        return render(
            request, "panels/outcome.html", context, status=409 if request.method == "POST" else 200
        )
    episode = item.episode
    candidates = list(lead_candidates(episode).prefetch_related("memberships__organisation"))
    form = OutcomeForm(
        posted(request),
        candidates=candidates,
        organisations=list(services.organisations_to_add(episode)),
        needs=list(episode.needs.all()),
    )
    done = run_form_action(
        request,
        form,
        lambda data: services.record_outcome(request.user, item, request=request, **form.details()),
        success=_("Decision recorded for %(ref)s") % {"ref": episode.reference},
        then=reverse("panels:detail", kwargs={"pk": panel.pk}),
    )
    if done:
        return done
    return render(request, "panels/outcome.html", {**context, "form": form})


@require_http_methods(["GET", "POST"])
@for_open_panel
def close(request, panel):
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: services.close_panel(request.user, panel, request=request),
        success=_("The panel on %(date)s is closed") % {"date": _date(panel)},
        then=reverse("panels:detail", kwargs={"pk": panel.pk}),
    )
    if done:
        return done
    return render(
        request,
        "panels/close.html",
        {
            "panel": panel,
            "undecided": services.undecided(panel),
            "member_count": panel.members.count(),
            "form": form,
        },
    )
