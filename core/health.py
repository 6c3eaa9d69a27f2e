"""/health/: may a load balancer send this server requests?

It checks what every page needs (the database, the replica if there is one,
the cache) and the task queue, and answers 200 with each check's status, or 503
naming what failed. No sign-in and no personal data: only check names, "ok" or
"failing", and the number of tasks waiting. Why a check failed is logged (its
error type), never shown.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import connections
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks import task_backends

from core.routers import REPLICA, has_replica

logger = logging.getLogger(__name__)

OK = "ok"
FAILING = "failing"


def _database(alias: str) -> Callable[[], str]:
    def check() -> str:
        with connections[alias].cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
        return OK

    return check


def _cache() -> str:
    key = f"health-{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    if cache.get(key) != "1":
        raise RuntimeError("the cache did not return what was stored")
    cache.delete(key)
    return OK


def _tasks() -> str:
    """The queue's backend: for the database queue, how many tasks wait (which
    reads its table); for RQ, that Redis answers a ping, and how many wait in
    its queues; a backend that runs tasks in the process needs nothing."""
    backend = task_backends["default"]
    name = type(backend).__name__
    module = type(backend).__module__
    if module.startswith("django_tasks_db"):
        from django_tasks_db.models import DBTaskResult

        return f"{OK} ({name}: {DBTaskResult.objects.ready().count()} waiting)"
    if module.startswith("django_tasks_rq"):
        return f"{OK} ({name}: {_rq_waiting(sorted(backend.queues))} waiting)"
    return f"{OK} ({name})"


def _rq_waiting(queue_names: list[str]) -> int:
    import django_rq

    waiting = 0
    for queue_name in queue_names:
        queue = django_rq.get_queue(queue_name)
        if not queue.connection.ping():
            raise ConnectionError(f"Redis of queue {queue_name!r} did not answer")
        waiting += queue.count
    return waiting


def checks() -> dict[str, Callable[[], str]]:
    found = {"database": _database("default")}
    if has_replica():
        found["database replica"] = _database(REPLICA)
    found["cache"] = _cache
    found["task queue"] = _tasks
    return found


def run_checks() -> tuple[dict[str, str], list[str]]:
    """Each check's status, and the names of those that failed."""
    statuses: dict[str, str] = {}
    failed: list[str] = []
    for name, check in checks().items():
        try:
            statuses[name] = check()
        except Exception as error:  # any failure means "do not send requests here"
            logger.error("Health check %r failed: %s", name, type(error).__name__)
            statuses[name] = FAILING
            failed.append(name)
    return statuses, failed


@login_not_required
@require_safe
@never_cache
def health(request: HttpRequest) -> JsonResponse:
    statuses, failed = run_checks()
    body = {"status": FAILING if failed else OK, "checks": statuses, "failing": failed}
    return JsonResponse(body, status=503 if failed else 200)
