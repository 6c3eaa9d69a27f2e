"""Cursor pagination on every list: `next` and `previous` are links to follow;
a cursor cannot be guessed or skipped ahead with, and new rows never shift a page."""

import re

from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.request import Request


class ApiCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200

    def get_page_size(self, request: Request) -> int:
        """A page size that is not a whole number from 1 to 200 is refused,
        not quietly replaced: the client learns its mistake."""
        given = request.query_params.get(self.page_size_query_param)
        if given is None:
            return self.page_size
        if not re.fullmatch(r"[0-9]{1,3}", given) or not 1 <= int(given) <= self.max_page_size:
            raise ValidationError(
                {"page_size": f"Give a whole number from 1 to {self.max_page_size}"}
            )
        return int(given)
