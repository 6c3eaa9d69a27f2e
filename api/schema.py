"""The errors every endpoint may answer, described once for the OpenAPI document."""

import re

from django.http import Http404
from drf_spectacular.utils import OpenApiExample, OpenApiParameter, OpenApiResponse

from .idempotency import HEADER
from .problems import PROBLEM_JSON
from .serializers import ProblemSerializer

_WHY = {
    400: "The body is not JSON, or a header is malformed",
    401: "No token, or one that is unknown, expired or revoked",
    403: "The client does not hold the scope this needs",
    404: "No such record, or not one this client may see",
    406: "The Accept header asks for something other than JSON",
    415: "The body is not sent as application/json",
    422: "The request has mistakes, listed field by field",
    429: "Too many requests: wait for Retry-After seconds",
}


def problem_responses(*codes: int) -> dict:
    """OpenAPI responses for these status codes, as problem details."""
    return {
        (code, PROBLEM_JSON): OpenApiResponse(ProblemSerializer, description=_WHY[code])
        for code in codes
    }


READ_PROBLEMS = (400, 401, 403, 404, 406, 429)
LIST_PROBLEMS = (*READ_PROBLEMS, 422)  # a query parameter with a mistake
WRITE_PROBLEMS = (*LIST_PROBLEMS, 409, 415)
_WHY[409] = "A request with this Idempotency-Key is still being made: try again"
_WHY[412] = "If-Match is not the record's current ETag: someone changed it since; read it again"
_WHY[428] = "If-Match is missing: send the ETag of the record as you read it"

IDEMPOTENCY_KEY = OpenApiParameter(
    HEADER,
    {"type": "string", "pattern": "^[!-~]{1,100}$"},
    OpenApiParameter.HEADER,
    required=False,
    description=(
        "Any unique string (a UUID): sent again with the same body, the first answer "
        "is returned and nothing is created twice"
    ),
)

PROBLEM_EXAMPLE = OpenApiExample(
    "A validation problem",
    value={
        "type": "urn:earlyhelp:problem:validation",
        "title": "Your request has mistakes",
        "status": 422,
        "detail": "The request has mistakes: each is listed in errors, with what to change",
        "errors": [{"field": "incident_at", "detail": "The incident cannot be in the future"}],
    },
    response_only=True,
    status_codes=["422"],
)

# Every list: cursor pagination (api/pagination.py).
PAGE_PARAMETERS = [
    OpenApiParameter(
        "cursor",
        str,
        OpenApiParameter.QUERY,
        required=False,
        description="Opaque: follow the `next` or `previous` link rather than making one",
    ),
    OpenApiParameter(
        "page_size",
        {"type": "integer", "minimum": 1, "maximum": 200},
        OpenApiParameter.QUERY,
        required=False,
        description="How many on a page (50 unless said, at most 200)",
    ),
]


# The database's integer: an id larger names nothing.
LARGEST_ID = 2**31 - 1


def path_id(description: str) -> OpenApiParameter:
    """The `{id}` of a record's path, as every endpoint describes it."""
    return OpenApiParameter(
        "id", {"type": "integer", "minimum": 1}, OpenApiParameter.PATH, description=description
    )


def record_id(value: str) -> int:
    """The `{id}` of a path as a number, or not found (404): only ASCII digits,
    never more than the database holds."""
    if not re.fullmatch(r"[0-9]{1,10}", value) or int(value) > LARGEST_ID:
        raise Http404
    return int(value)
