"""The API reference for signed-in staff, read from the OpenAPI document and
shown as a GOV.UK page: nothing is fetched from elsewhere (no Redoc, no CDN)."""

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from drf_spectacular.generators import SchemaGenerator

METHODS = ("get", "post", "put", "patch", "delete")


def endpoints(schema: dict[str, Any]) -> list[dict[str, Any]]:
    """One entry per operation: method, path, summary, its statuses."""
    found = []
    for route, operations in schema.get("paths", {}).items():
        for method in METHODS:
            operation = operations.get(method)
            if operation is None:
                continue
            found.append(
                {
                    "method": method.upper(),
                    "path": route,
                    "summary": operation.get("summary", ""),
                    "statuses": ", ".join(sorted(operation.get("responses", {}))),
                }
            )
    return found


def reference(request: HttpRequest) -> HttpResponse:
    schema = SchemaGenerator().get_schema(request=None, public=True)
    return render(
        request,
        "api/reference.html",
        {"endpoints": endpoints(schema), "version": schema["info"]["version"]},
    )
