"""Logs an operator can search without reading anyone's personal data.

Every request gets an id (the caller's X-Request-ID if it is short and plain,
otherwise a new one), returned in the response's X-Request-ID header and put on
every log record made while serving it. One line per request records who (user
id, council id: never a name or email address), what (method and the URL's
route, e.g. "cases/<int:pk>/", never the raw path or its query string), the
status and how long it took. Request bodies are never logged. LOG_FORMAT=json
writes each record as one JSON object per line.
"""

from __future__ import annotations

import json
import logging
import re
import time
import traceback
import uuid
from collections.abc import Callable
from contextvars import ContextVar
from datetime import UTC, datetime

from django.core.signals import request_finished
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse

request_id: ContextVar[str] = ContextVar("request_id", default="-")
request_logger = logging.getLogger("earlyhelp.requests")

# Long enough for a UUID or a proxy's trace id; nothing that could break a log line.
_SAFE_REQUEST_ID = re.compile(r"[A-Za-z0-9._-]{1,64}")

# The fields a record may carry into the JSON line, besides its message.
REQUEST_FIELDS = ("user_id", "council_id", "method", "route", "status", "duration_ms")


def accepted_request_id(given: str | None) -> str:
    """The caller's id if it is short and plain, otherwise a new one."""
    if given and _SAFE_REQUEST_ID.fullmatch(given):
        return given
    return uuid.uuid4().hex


class RequestIdFilter(logging.Filter):
    """Puts the id of the request being served on every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id.get()
        return True


class JsonFormatter(logging.Formatter):
    """One JSON object per line, with only the fields listed here: a record's
    other attributes (Django puts the whole request on some) are left out, and
    an error is logged by its type and stack, not its message, which may quote
    what someone typed."""

    def format(self, record: logging.LogRecord) -> str:
        line = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", request_id.get()),
        }
        for name in REQUEST_FIELDS:
            if hasattr(record, name):
                line[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            kind, _error, stack = record.exc_info
            line["error"] = f"{kind.__module__}.{kind.__qualname__}"
            line["stack"] = "".join(traceback.format_tb(stack))
        return json.dumps(line, default=str)


def _route(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    return match.route if match is not None else "(no route)"


class RequestLogMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # Not reset when this returns: Django logs a failed request's status
        # after the middleware, and that line belongs to the request too. The
        # next request sets its own; request_finished clears it in between.
        request_id.set(accepted_request_id(request.headers.get("X-Request-ID")))
        started = time.perf_counter()
        response = self.get_response(request)
        response["X-Request-ID"] = request_id.get()
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            user = None
        request_logger.info(
            "%s %s %s",
            request.method,
            _route(request),
            response.status_code,
            extra={
                "user_id": user.pk if user else None,
                "council_id": getattr(user, "local_authority_id", None),
                "method": request.method,
                "route": _route(request),
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1),
            },
        )
        return response


@receiver(request_finished)
def _forget_request_id(**kwargs: object) -> None:
    request_id.set("-")
