"""A per-client rate limit (API_REQUESTS_PER_MINUTE), counted in the cache:
answered with 429 and Retry-After."""

from typing import Any

from django.conf import settings
from rest_framework.request import Request
from rest_framework.throttling import SimpleRateThrottle

from .models import ApiClient


class PerClientRateThrottle(SimpleRateThrottle):
    scope = "client"

    def get_rate(self) -> str:
        # Read at each request, not at import, so a deployment (or a test) may change it.
        return f"{settings.API_REQUESTS_PER_MINUTE}/min"

    def get_cache_key(self, request: Request, view: Any) -> str | None:
        client = request.auth
        if not isinstance(client, ApiClient):
            return None  # refused before it is counted: no token, no work
        return self.cache_format % {"scope": self.scope, "ident": client.pk}
