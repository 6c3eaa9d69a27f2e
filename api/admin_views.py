"""The LA administrator's pages for partner systems (docs/API.md): the
council's API clients, registering one (its token shown once), rotating and
revoking its token, its webhook subscriptions and their delivery log, and
sending a failed delivery again. Only the council's LA administrators
(core.policy.can_manage_api_clients); each change through its domain
function, audited."""

from __future__ import annotations

from typing import Any, cast

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.models import User
from core import policy
from core.forms import ConfirmForm, posted, run_form_action
from webhooks import delivery as webhook_delivery
from webhooks import subscriptions
from webhooks.models import Delivery, Subscription

from . import clients
from .admin_forms import RegisterClientForm, SubscriptionForm
from .models import ApiClient

LOG_LENGTH = 100


def _admin(request: HttpRequest) -> User:
    """The signed-in LA administrator (sign-in is required for every page)."""
    user = cast(User, request.user)
    if not policy.can_manage_api_clients(user):
        raise PermissionDenied
    return user


def _client_or_404(request: HttpRequest, pk: int) -> ApiClient:
    client = (
        policy.api_clients_manageable_by(_admin(request))
        .select_related("organisation")
        .filter(pk=pk)
        .first()
    )
    if client is None:
        raise Http404
    return client


def _secret_page(request: HttpRequest, context: dict[str, Any]) -> HttpResponse:
    """A token or secret, shown once, in the answer to the POST that made it:
    never stored in the session (pages are never cached: no-store)."""
    return render(request, "api/admin/shown_once.html", context)


def client_list(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    return render(
        request,
        "api/admin/client_list.html",
        {
            "la": user.local_authority,
            "clients": policy.api_clients_manageable_by(user).select_related("organisation"),
            "failed": webhook_delivery.log_for(user).filter(status=Delivery.Status.FAILED).count(),
        },
    )


@require_http_methods(["GET", "POST"])
def client_add(request: HttpRequest) -> HttpResponse:
    user = _admin(request)
    la = user.local_authority
    assert la is not None  # an administrator of a council (policy.can_manage_api_clients)
    form = RegisterClientForm(posted(request), local_authority=la)
    made: dict[str, Any] = {}

    def register(data: dict[str, Any]) -> ApiClient:
        client, token = clients.create_client(
            la,
            data["organisation"],
            data["name"],
            data["scopes"],
            days=data["days"],
            actor=user,
            request=request,
        )
        made.update(client=client, token=token)
        return client

    if run_form_action(request, form, register, then=reverse("api_clients:list")):
        return _secret_page(
            request,
            {
                "client": made["client"],
                "title": _("API client registered"),
                "label": _("Its token"),
                "secret": made["token"],
                "advice": _(
                    "Give the token to the partner system's administrator securely now: it is "
                    "shown only once and cannot be shown again. If it is lost, rotate it."
                ),
            },
        )
    return render(request, "api/admin/client_add.html", {"form": form, "la": la})


def client_detail(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    return render(
        request,
        "api/admin/client_detail.html",
        {
            "client": client,
            "subscriptions": Subscription.objects.filter(client=client).order_by(
                "removed_at", "-created_at"
            ),
            "deliveries": webhook_delivery.log_for(_admin(request))
            .filter(subscription__client=client)
            .order_by("-occurred_at", "-pk")[:LOG_LENGTH],
            "log_length": LOG_LENGTH,
        },
    )


@require_http_methods(["GET", "POST"])
def client_rotate(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    form = ConfirmForm(posted(request))
    made: dict[str, str] = {}

    def rotate(_data: dict[str, Any]) -> str:
        made["token"] = clients.rotate(client, actor=_admin(request), request=request)
        return made["token"]

    if run_form_action(request, form, rotate, then=reverse("api_clients:detail", args=[pk])):
        return _secret_page(
            request,
            {
                "client": client,
                "title": _("Token rotated"),
                "label": _("Its new token"),
                "secret": made["token"],
                "advice": _(
                    "The old token no longer works. Give the new one to the partner system's "
                    "administrator securely now: it is shown only once."
                ),
            },
        )
    return render(
        request,
        "api/admin/client_confirm.html",
        {
            "client": client,
            "form": form,
            "title": _("Rotate the token of %(name)s") % {"name": client.name},
            "explanation": _(
                "A new token is made and shown once. The old one stops working at once, so "
                "the partner system must be given the new one."
            ),
            "button": _("Rotate the token"),
        },
    )


@require_http_methods(["GET", "POST"])
def client_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    form = ConfirmForm(posted(request))
    done = run_form_action(
        request,
        form,
        lambda _data: clients.revoke(client, actor=_admin(request), request=request),
        success=_("The token of %(name)s is revoked") % {"name": client.name},
        then=reverse("api_clients:detail", args=[pk]),
    )
    if done:
        return done
    return render(
        request,
        "api/admin/client_confirm.html",
        {
            "client": client,
            "form": form,
            "title": _("Revoke the token of %(name)s") % {"name": client.name},
            "explanation": _(
                "Every call with the token is refused from now on, and its webhooks are no "
                "longer sent. Rotating the token later makes a new one that works."
            ),
            "button": _("Revoke the token"),
            "warning": True,
        },
    )


@require_http_methods(["GET", "POST"])
def subscription_add(request: HttpRequest, pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    form = SubscriptionForm(posted(request))
    made: dict[str, Any] = {}

    def subscribe(data: dict[str, Any]) -> Subscription:
        subscription, secret = subscriptions.subscribe(
            client, data["url"], data["events"], actor=_admin(request), request=request
        )
        made.update(subscription=subscription, secret=secret)
        return subscription

    if run_form_action(request, form, subscribe, then=reverse("api_clients:detail", args=[pk])):
        return _secret_page(
            request,
            {
                "client": client,
                "title": _("Webhook added"),
                "label": _("Its signing secret"),
                "secret": made["secret"],
                "advice": _(
                    "The partner system checks each delivery's signature with this secret. "
                    "Give it to them securely now: it is shown only once."
                ),
            },
        )
    return render(request, "api/admin/subscription_add.html", {"client": client, "form": form})


@require_POST
def subscription_remove(request: HttpRequest, pk: int, subscription_pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    subscription = Subscription.objects.filter(
        client=client, pk=subscription_pk, removed_at__isnull=True
    ).first()
    if subscription is None:
        raise Http404
    subscriptions.remove(subscription, actor=_admin(request), request=request)
    messages.success(request, _("Webhook removed: no more events are sent to it"))
    return redirect("api_clients:detail", pk=pk)


@require_POST
def delivery_send_again(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    client = _client_or_404(request, pk)
    failed = (
        webhook_delivery.log_for(_admin(request))
        .filter(subscription__client=client, pk=delivery_pk, status=Delivery.Status.FAILED)
        .first()
    )
    if failed is None:
        raise Http404
    sent = webhook_delivery.send_again(_admin(request), failed.pk, request=request)
    sent.refresh_from_db()  # delivered by now if the task ran at once, after the commit
    if sent.status == Delivery.Status.DELIVERED:
        messages.success(request, _("Delivered"))
    else:
        messages.success(request, _("Queued to be sent again"))
    return redirect("api_clients:detail", pk=pk)
