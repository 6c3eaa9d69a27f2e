"""Cells of the CSV and XLSX files the service writes (reports, returns,
claims): text a spreadsheet would run as a formula ("=HYPERLINK(...)",
"+1", "@SUM") is written as text, with a leading apostrophe, whoever typed
it."""

from __future__ import annotations

from datetime import date

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def safe_text(text: str) -> str:
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def csv_cell(value: object) -> str:
    """A value as CSV text: dates as dd/mm/yyyy, nothing as empty."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return safe_text(str(value))
