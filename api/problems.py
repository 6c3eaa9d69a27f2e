"""Every error as an RFC 9457 problem details object
(`application/problem+json`): `type`, `title`, `status`, `detail`, and for
invalid input `errors`, one per field, each saying how to fix it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

PROBLEM_JSON = "application/problem+json"
ABOUT_BLANK = "about:blank"
VALIDATION = "urn:earlyhelp:problem:validation"
IDEMPOTENCY_KEY_REUSED = "urn:earlyhelp:problem:idempotency-key-reused"
RATE_LIMITED = "urn:earlyhelp:problem:rate-limited"
STALE = "urn:earlyhelp:problem:stale"
IF_MATCH_REQUIRED = "urn:earlyhelp:problem:if-match-required"

TITLES = {
    400: "Bad request",
    401: "Not authenticated",
    403: "Not allowed",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    412: "Changed since you read it",
    415: "Unsupported media type",
    422: "Unprocessable content",
    428: "If-Match required",
    429: "Too many requests",
}


def problem(
    status_code: int,
    detail: str,
    *,
    type_: str = ABOUT_BLANK,
    title: str = "",
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    body: dict[str, Any] = {
        "type": type_,
        "title": title or TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_JSON)


def _flatten(detail: Any, field: str = "") -> list[dict[str, str]]:
    """DRF's nested error details as a flat list: `children[0].first_name`."""
    if isinstance(detail, dict):
        found = []
        for name, value in detail.items():
            if isinstance(name, int):  # a list's item, by its position
                found += _flatten(value, f"{field}[{name}]")
                continue
            name = "" if name == "non_field_errors" else str(name)
            found += _flatten(value, f"{field}.{name}" if field and name else field or name)
        return found
    if isinstance(detail, list):
        if all(isinstance(item, str) for item in detail):
            return [{"field": field, "detail": str(item)} for item in detail]
        found = []
        for index, value in enumerate(detail):
            if value:
                found += _flatten(value, f"{field}[{index}]")
        return found
    return [{"field": field, "detail": str(detail)}]


def invalid(errors: list[dict[str, str]]) -> Response:
    return problem(
        status.HTTP_422_UNPROCESSABLE_ENTITY,
        "The request has mistakes: each is listed in errors, with what to change",
        type_=VALIDATION,
        title="Your request has mistakes",
        errors=errors,
    )


def from_django(error: ValidationError) -> Response:
    """A domain function's refusal, field by field, as a validation problem."""
    if hasattr(error, "error_dict"):
        return invalid(
            [
                {"field": name, "detail": str(message)}
                for name, messages in error.message_dict.items()
                for message in messages
            ]
        )
    return invalid([{"field": "", "detail": str(message)} for message in error.messages])


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, ValidationError):
        return from_django(exc)
    if isinstance(exc, serializers.ValidationError):
        return invalid(_flatten(exc.detail))
    if isinstance(exc, exceptions.ParseError):
        return problem(400, f"{exc.detail}: send a JSON object")
    if isinstance(exc, exceptions.Throttled):
        wait = max(1, int(exc.wait or 1))
        return problem(
            429,
            f"This client has made too many requests: wait {wait} seconds and try again",
            type_=RATE_LIMITED,
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, Http404 | exceptions.NotFound):
        return problem(404, "There is no such record, or this client may not see it")
    if isinstance(exc, PermissionDenied):
        exc = exceptions.PermissionDenied()
    response = drf_exception_handler(exc, context)
    if response is None:
        return None  # a server error: Django's own handling, logged as any other
    detail = getattr(exc, "detail", "")
    headers = {
        name: value
        for name, value in response.items()
        if name in ("WWW-Authenticate", "Allow", "Retry-After")
    }
    return problem(response.status_code, str(detail), headers=headers)
