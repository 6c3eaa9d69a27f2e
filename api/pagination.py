"""Cursor pagination on every list: `next` and `previous` are links to follow;
a cursor cannot be guessed or skipped ahead with, and new rows never shift a page."""

from rest_framework.pagination import CursorPagination


class ApiCursorPagination(CursorPagination):
    ordering = "pk"
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200
