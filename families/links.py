"""The one-time links a worker gives a family member (feedback, the plan
online): a secret token, shown once, kept only as its SHA-256 hash (as the
partner API keeps its tokens), and found again only while it may be used.

An unknown, expired, used or revoked token are all the same to the family:
`usable` returns None for each, and the pages show one page for all, so a
token cannot be probed for whether it ever existed."""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from .models import FamilyLink, LinkPurpose

# Longer than any a person would type: 43 URL-safe characters, 256 bits.
TOKEN_BYTES = 32
FEEDBACK_DAYS = 14
PLAN_DAYS = 90
LIFETIME_DAYS = {LinkPurpose.FEEDBACK: FEEDBACK_DAYS, LinkPurpose.PLAN: PLAN_DAYS}
# A link to a feedback page works once; the plan page until it expires.
SINGLE_USE = {LinkPurpose.FEEDBACK}


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def new_token() -> tuple[str, str]:
    """(token, its hash): the token for the link, the hash to keep."""
    token = secrets.token_urlsafe(TOKEN_BYTES)
    return token, hash_token(token)


def expiry(purpose: str) -> datetime:
    return timezone.now() + timedelta(days=LIFETIME_DAYS[LinkPurpose(purpose)])


def _usable_links(purpose: str) -> QuerySet[FamilyLink]:
    links = FamilyLink.objects.filter(
        purpose=purpose, revoked_at__isnull=True, expires_at__gt=timezone.now()
    )
    if purpose in SINGLE_USE:
        links = links.filter(used_at__isnull=True)
    return links


def usable(token: str, purpose: str) -> FamilyLink | None:
    """The link `token` opens for `purpose`, or None when there is none or it
    may no longer be used (expired, used, revoked): the same answer for all.
    (Answering a feedback link locks it again: families.services.give_feedback.)"""
    if not token or len(token) > 100:
        return None
    links = _usable_links(purpose).select_related("episode", "person", "local_authority")
    return links.filter(token_hash=hash_token(token)).first()
