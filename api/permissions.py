"""Each view names the scope it needs (`required_scope`); whether the client
holds it is the policy's question (core/policy.py)."""

from typing import Any

from rest_framework.permissions import BasePermission
from rest_framework.request import Request

from core import policy

from .models import ApiClient


class HasScope(BasePermission):
    message = "This client may not do this: ask the council to give it the scope"

    def has_permission(self, request: Request, view: Any) -> bool:
        client = request.auth
        if not isinstance(client, ApiClient):
            return False
        scope = getattr(view, "required_scope", None)
        if scope is None:
            return False
        self.message = f"This client does not hold the scope {scope}: ask the council to add it"
        return policy.client_may(client, scope)
