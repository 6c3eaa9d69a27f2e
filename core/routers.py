"""Reports and exports read from a replica of the database, when there is one.

With DATABASE_REPLICA_URL set, settings add a "replica" database. Reads made
inside `reading_from_replica()` go there; every write, every read inside a
transaction (it must see what the transaction wrote: the audit chain reads its
head before appending) and every other read go to the primary. The views of
REPLICA_READ_ROUTES run inside it (ReplicaReadsMiddleware). A replica may lag
the primary by a moment: only pages where a moment-old answer is acceptable are
listed; their permission checks read the same moment-old records.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"

# Reports and exports: the subject access copy and its downloads, who has
# looked at a case or a person, and the managers' reports (the partnership
# report and its downloads, the performance indicators, the Supporting
# Families claim; the Annex A export reads inside reading_from_replica).
REPLICA_READ_ROUTES = frozenset(
    {
        "reporting:partnership",
        "performance:indicators",
        "performance:download",
        "outcomes:claim",
        "outcomes:claim_download",
        "privacy:subject_access",
        "privacy:subject_access_download",
        "audit:episode_access_log",
        "audit:person_access_log",
    }
)

_reading_from_replica: ContextVar[bool] = ContextVar("reading_from_replica", default=False)


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Send this block's reads to the replica (if there is one)."""
    token = _reading_from_replica.set(True)
    try:
        yield
    finally:
        _reading_from_replica.reset(token)


def has_replica() -> bool:
    return REPLICA in connections.settings


class ReplicaRouter:
    def db_for_read(self, model: Any, **hints: Any) -> str:
        if (
            _reading_from_replica.get()
            and has_replica()
            and not connections[DEFAULT_DB_ALIAS].in_atomic_block
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model: Any, **hints: Any) -> str:
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both hold the same rows: a record read from one may point at the other's.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica copies the primary's schema; it is never migrated itself.
        return db == DEFAULT_DB_ALIAS


class ReplicaReadsMiddleware:
    """Runs the views of REPLICA_READ_ROUTES with their reads on the replica."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _reading_from_replica.set(False)
        try:
            return self.get_response(request)
        finally:
            _reading_from_replica.reset(token)

    def process_view(self, request: HttpRequest, view: Any, args: Any, kwargs: Any) -> None:
        match = request.resolver_match
        if match is not None and match.view_name in REPLICA_READ_ROUTES:
            _reading_from_replica.set(True)
