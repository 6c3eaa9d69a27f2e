"""/api/v1/webhooks/: a client subscribes to events about the cases its
organisation is involved in (scope `webhooks:manage`), through the same
domain functions as the administrator's page (webhooks/subscriptions.py).
docs/API.md describes the events, the payload and how to check a signature."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from webhooks import subscriptions
from webhooks.models import Event, Subscription

from .base import ApiView
from .models import ApiClient, Scope
from .pagination import ApiCursorPagination
from .schema import (
    IDEMPOTENCY_KEY,
    LIST_PROBLEMS,
    PAGE_PARAMETERS,
    PROBLEM_EXAMPLE,
    READ_PROBLEMS,
    WRITE_PROBLEMS,
    path_id,
    problem_responses,
    record_id,
)
from .strict import InputSerializer


class SubscriptionInSerializer(InputSerializer):
    url = serializers.CharField(
        max_length=500,
        help_text="Where to post events: an https address on the internet",
    )
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=Event.values),
        min_length=1,
        max_length=len(Event.values),
        help_text="The events to post: " + ", ".join(Event.values),
    )


class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.CharField()
    events = serializers.ListField(child=serializers.CharField())
    created_at = serializers.DateTimeField()


class NewSubscriptionSerializer(SubscriptionSerializer):
    secret = serializers.CharField(
        help_text="Signs every delivery (Webhook-Signature): shown only in this answer"
    )


class SubscriptionPageSerializer(serializers.Serializer):
    next = serializers.CharField(allow_null=True)
    previous = serializers.CharField(allow_null=True)
    results = SubscriptionSerializer(many=True)


def _answer(subscription: Subscription) -> dict:
    return {
        "id": subscription.pk,
        "url": subscription.url,
        "events": subscription.events,
        "created_at": subscription.created_at,
    }


def _own(client: ApiClient):  # type: ignore[no-untyped-def]
    return Subscription.objects.filter(
        local_authority_id=client.local_authority_id, client=client, removed_at__isnull=True
    )


class WebhooksView(ApiView):
    """The client's webhook subscriptions; a new one."""

    required_scope = Scope.WEBHOOKS_MANAGE
    query_parameters = frozenset({"cursor", "page_size"})

    @extend_schema(
        operation_id="webhooks",
        summary="The client's webhook subscriptions",
        parameters=PAGE_PARAMETERS,
        responses={200: SubscriptionPageSerializer, **problem_responses(*LIST_PROBLEMS)},
    )
    def get(self, request: Request) -> Response:
        client: ApiClient = request.auth
        paginator = ApiCursorPagination()
        page = paginator.paginate_queryset(_own(client), request, view=self) or []
        return paginator.get_paginated_response([_answer(each) for each in page])

    @extend_schema(
        operation_id="webhook_subscribe",
        summary="Subscribe an address to events about the organisation's cases",
        parameters=[IDEMPOTENCY_KEY],
        request=SubscriptionInSerializer,
        responses={201: NewSubscriptionSerializer, **problem_responses(*WRITE_PROBLEMS)},
        examples=[PROBLEM_EXAMPLE],
    )
    def post(self, request: Request) -> Response:
        client: ApiClient = request.auth
        return self.once(request, lambda: self._subscribe(request, client))

    def _subscribe(self, request: Request, client: ApiClient) -> Response:
        incoming = SubscriptionInSerializer(data=request.data)
        incoming.is_valid(raise_exception=True)
        subscription, secret = subscriptions.subscribe(
            client,
            incoming.validated_data["url"],
            incoming.validated_data["events"],
            request=request._request,
        )
        self.audited_by_domain = True
        return Response({**_answer(subscription), "secret": secret}, status=201)


class WebhookView(ApiView):
    """One of the client's subscriptions: removed, no more events are posted to it."""

    required_scope = Scope.WEBHOOKS_MANAGE

    @extend_schema(
        operation_id="webhook_remove",
        summary="Remove a webhook subscription",
        parameters=[path_id("The subscription's id")],
        responses={204: None, **problem_responses(*READ_PROBLEMS)},
    )
    def delete(self, request: Request, id: str) -> Response:
        client: ApiClient = request.auth
        subscription = _own(client).select_related("client").filter(pk=record_id(id)).first()
        if subscription is None:
            raise Http404
        subscriptions.remove(subscription, request=request._request)
        self.audited_by_domain = True
        return Response(status=204)
