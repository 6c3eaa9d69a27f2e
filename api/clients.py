"""Registering a partner system, and its token: made from 32 random bytes,
shown once, kept only as its SHA-256 hash; rotated (a new token, the old one
stops working at once), revoked, and expired after `API_TOKEN_DAYS`."""

from __future__ import annotations

import datetime
import hashlib
import secrets
from collections.abc import Iterable
from typing import TYPE_CHECKING

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import LocalAuthority, Organisation
from audit.models import Action
from audit.services import record
from core import policy
from core.councils import across_councils

from .models import ApiClient, Scope

if TYPE_CHECKING:
    from django.http import HttpRequest

    from accounts.models import User

TOKEN_PREFIX = "eh_"  # noqa: S105 - a prefix, so a leaked token is recognisable by scanners


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _new_token() -> tuple[str, str]:
    token = TOKEN_PREFIX + secrets.token_urlsafe(32)
    return token, hash_token(token)


def _expiry(days: int | None) -> datetime.datetime:
    return timezone.now() + datetime.timedelta(days=days or settings.API_TOKEN_DAYS)


def check_scopes(scopes: Iterable[str]) -> list[str]:
    chosen = [scope.strip() for scope in scopes if scope.strip()]
    if not chosen:
        raise ValidationError(
            _("Name at least one scope: %(scopes)s") % {"scopes": ", ".join(Scope.values)}
        )
    if unknown := sorted(set(chosen) - set(Scope.values)):
        raise ValidationError(
            _("Unknown scope %(unknown)s: choose from %(scopes)s")
            % {"unknown": ", ".join(unknown), "scopes": ", ".join(Scope.values)}
        )
    return sorted(set(chosen))


@transaction.atomic
def create_client(
    la: LocalAuthority,
    organisation: Organisation,
    name: str,
    scopes: Iterable[str],
    *,
    days: int | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> tuple[ApiClient, str]:
    """The new client and its token (the only time the token exists in clear).
    `actor`: the administrator registering it on the page (checked against the
    policy); None from the command line."""
    if actor is not None and not policy.can_manage_api_clients(actor):
        raise PermissionDenied
    if actor is not None and actor.local_authority_id != la.pk:
        raise PermissionDenied
    name = name.strip()
    if not name:
        raise ValidationError(_("Give the client a name, such as the partner system's"))
    if organisation.local_authority_id != la.pk:
        raise ValidationError(
            _("%(organisation)s is not an organisation of %(council)s")
            % {"organisation": organisation.name, "council": la.name}
        )
    if ApiClient.objects.filter(local_authority=la, name__iexact=name).exists():
        raise ValidationError(
            _("%(council)s already has a client called %(name)s: choose another")
            % {"council": la.name, "name": name}
        )
    token, digest = _new_token()
    client = ApiClient.objects.create(
        local_authority=la,
        organisation=organisation,
        name=name,
        scopes=check_scopes(scopes),
        token_hash=digest,
        token_expires_at=_expiry(days),
    )
    record(
        Action.CREATE,
        obj=client,
        local_authority=la,
        actor=actor,
        request=request,
        actor_label="" if actor is not None else name,
    )
    return client, token


def _check_manager(client: ApiClient, actor: User | None) -> None:
    if actor is not None and not policy.can_manage_api_client(actor, client):
        raise PermissionDenied


@transaction.atomic
def rotate(
    client: ApiClient,
    *,
    days: int | None = None,
    actor: User | None = None,
    request: HttpRequest | None = None,
) -> str:
    """A new token; the old one is refused from now on."""
    _check_manager(client, actor)
    token, digest = _new_token()
    client.token_hash = digest
    client.token_expires_at = _expiry(days)
    client.rotated_at = timezone.now()
    client.revoked_at = None
    client.save(update_fields=["token_hash", "token_expires_at", "rotated_at", "revoked_at"])
    record(
        Action.UPDATE,
        obj=client,
        actor=actor,
        request=request,
        actor_label="" if actor is not None else client.name,
        changes={"token": "rotated"},
    )
    return token


@transaction.atomic
def revoke(
    client: ApiClient, *, actor: User | None = None, request: HttpRequest | None = None
) -> None:
    _check_manager(client, actor)
    client.revoked_at = timezone.now()
    client.save(update_fields=["revoked_at"])
    record(
        Action.UPDATE,
        obj=client,
        actor=actor,
        request=request,
        actor_label="" if actor is not None else client.name,
        changes={"token": "revoked"},
    )


def client_for_token(token: str) -> ApiClient | None:
    """The active client whose token this is, or None (unknown, revoked or expired)."""
    if not token.startswith(TOKEN_PREFIX) or len(token) > 200:
        return None
    # A token names its own council: found before any council is served.
    with across_councils():
        client = (
            ApiClient.objects.select_related("local_authority", "organisation")
            .filter(token_hash=hash_token(token))
            .first()
        )
    if client is None or not client.active:
        return None
    return client
