"""`Authorization: Bearer <token>`: the client the token belongs to, acting as
its organisation. Signed-in staff sessions are not accepted here."""

from __future__ import annotations

from dataclasses import dataclass

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication, get_authorization_header
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.request import Request

from .clients import client_for_token
from .models import ApiClient


@dataclass(frozen=True)
class ClientPrincipal:
    """What `request.user` is for a client: an organisation's system, no person."""

    client: ApiClient
    pk: None = None  # no person: request logs carry no user id
    is_authenticated: bool = True
    is_active: bool = True

    def __str__(self) -> str:
        return self.client.name


class BearerTokenAuthentication(BaseAuthentication):
    keyword = b"bearer"

    def authenticate(self, request: Request) -> tuple[ClientPrincipal, ApiClient] | None:
        header = get_authorization_header(request).split()
        if not header or header[0].lower() != self.keyword:
            return None
        if len(header) != 2:
            raise AuthenticationFailed("Send the token as 'Authorization: Bearer TOKEN'")
        try:
            token = header[1].decode("ascii")
        except UnicodeDecodeError:
            raise AuthenticationFailed("The token is not valid") from None
        client = client_for_token(token)
        if client is None:
            # One answer for unknown, revoked and expired: nothing to guess from.
            raise AuthenticationFailed(
                "The token is not valid, has expired or was revoked: ask the council for a new one"
            )
        return ClientPrincipal(client), client

    def authenticate_header(self, request: Request) -> str:
        return 'Bearer realm="api"'


class BearerTokenScheme(OpenApiAuthenticationExtension):
    target_class = "api.authentication.BearerTokenAuthentication"
    name = "bearerAuth"

    def get_security_definition(self, auto_schema):  # type: ignore[no-untyped-def]
        return {"type": "http", "scheme": "bearer"}
