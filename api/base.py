"""What every endpoint shares: the client's council is the one served (as a
signed-in user's is, core/councils.py), and every call is audited under the
client's name, like a page view or change."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, HttpResponseBase
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from audit.models import Action
from audit.services import record
from core import councils

from . import idempotency
from .models import ApiClient


class ApiView(APIView):
    required_scope: str = ""
    # The query parameters the endpoint takes: any other is refused, so that a
    # misspelt filter is a mistake the client sees, not a filter quietly ignored.
    query_parameters: frozenset[str] = frozenset()
    # Set by a handler: the record it read (audited as viewed); or
    # `audited_by_domain` when its domain function already audited the call.
    audited_object: Model | None = None
    audited_by_domain: bool = False
    # Set by a handler whose call changed nothing (an update to what was
    # already there): audited as this action instead of a change.
    audited_as: Action | None = None
    replayed: bool = False

    def once(self, request: Request, create: Callable[[], Response]) -> Response:
        """A POST's `create` run at most once per Idempotency-Key
        (api.idempotency); a replayed answer is audited as a view."""
        response = idempotency.once(request, request.auth, create)
        self.replayed = response.has_header(idempotency.REPLAYED)
        return response

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with ExitStack() as stack:
            self._scopes = stack
            return super().dispatch(request, *args, **kwargs)

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        super().initial(request, *args, **kwargs)
        client = request.auth
        if isinstance(client, ApiClient):
            self._scopes.enter_context(councils.scope(client.local_authority_id))
        unknown = sorted(set(request.query_params) - self.query_parameters)
        if unknown:
            takes = ", ".join(sorted(self.query_parameters)) or "none"
            raise ValidationError(
                {
                    name[:50]: f"This endpoint takes no parameter by this name (it takes: {takes})"
                    for name in unknown
                }
            )

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)
        # As authenticated, if it was: `request.auth` would authenticate now, and
        # a request refused before authentication (406) would raise here.
        client = getattr(request, "_auth", None)
        if isinstance(client, ApiClient) and response.status_code != 429:
            self._audit(request, client, response.status_code)
        return response

    def _audit(self, request: Request, client: ApiClient, status_code: int) -> None:
        # The route's pattern, never the path: what a client typed is not kept.
        match = request._request.resolver_match
        what = f"API {request.method} /{match.route if match else ''}"
        if status_code in (403, 404):
            action = Action.PERMISSION_DENIED
        elif status_code >= 400 or self.audited_by_domain:
            return  # refused input changes nothing; the domain recorded its change
        elif self.audited_as is not None:
            action = self.audited_as
        elif request.method in ("GET", "HEAD") or self.replayed:
            action = Action.VIEW  # a replayed POST (idempotency key) changes nothing
        else:
            action = Action.CREATE
        record(
            action,
            obj=self.audited_object,
            local_authority=client.local_authority,
            actor_label=client.name,
            reason=what[:200],
            request=request._request,
        )
