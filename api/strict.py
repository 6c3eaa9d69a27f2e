"""What a request body's values must be: the JSON type the API's document
gives them (docs/API.md, /api/v1/openapi.json).

REST framework's fields take more than they say: a text field turns 228696
into "228696", a choice of "1" or "2" takes the number 1, a number field
takes "5" and a true-or-false field takes "yes". A partner system that sends
the wrong type has a bug its developers should hear about, not a request
that half works (a sex of 228696 was accepted, then ignored with a warning).
InputSerializer refuses such a value with a problem naming the field and the
type to send; everything else is the fields' own checks.

Text is also measured as it was sent: the document's `maxLength` counts
every character, while a text field trims spaces (and other white space, such
as U+0085) before it checks its length, so 101 characters beginning with
one were taken as 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rest_framework import serializers

# The JSON types, as a client's developer reads them in the problem.
TEXT = "text (a JSON string, in quotes)"
WHOLE_NUMBER = "a whole number (not in quotes)"
NUMBER = "a number (not in quotes)"
TRUE_OR_FALSE = "true or false (not in quotes)"
LIST = "a list ([...])"


def _json_type(field: serializers.Field) -> str | None:
    """The JSON type the document gives `field`, or None when the field
    checks its own (an object: a nested serializer)."""
    if isinstance(field, serializers.BooleanField):
        return TRUE_OR_FALSE
    if isinstance(field, serializers.IntegerField):
        return WHOLE_NUMBER
    if isinstance(field, serializers.FloatField | serializers.DecimalField):
        return NUMBER
    if isinstance(field, serializers.ListField):
        return LIST
    if isinstance(field, serializers.ChoiceField):
        keys = list(field.choices)
        if keys and all(isinstance(key, str) for key in keys):
            return TEXT
        return None
    if isinstance(field, serializers.CharField | serializers.DateField | serializers.DateTimeField):
        return TEXT
    return None


def _has_type(value: Any, json_type: str) -> bool:
    if json_type == TEXT:
        return isinstance(value, str)
    if json_type == TRUE_OR_FALSE:
        return isinstance(value, bool)
    if json_type == WHOLE_NUMBER:
        return isinstance(value, int) and not isinstance(value, bool)
    if json_type == NUMBER:
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, list)


def _sent(value: Any) -> str:
    if isinstance(value, bool):
        return "true or false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def type_problems(field: serializers.Field, value: Any) -> list[str] | dict[int, list[str]]:
    """Why `value` is not of `field`'s JSON type (for a list, by position of
    each item that is not of its items' type); empty when it is."""
    if value is None:
        return []  # the field's own check: allowed, or "may not be null"
    json_type = _json_type(field)
    if json_type is None:
        return []
    if not _has_type(value, json_type):
        return [f"Send {json_type}, not {_sent(value)}"]
    longest = getattr(field, "max_length", None)
    if isinstance(value, str) and longest is not None and len(value) > longest:
        return [field.error_messages["max_length"].format(max_length=longest)]
    if isinstance(field, serializers.ListField):
        items = {}
        for position, item in enumerate(value):
            if problems := type_problems(field.child, item):
                items[position] = problems
        return items  # type: ignore[return-value]
    return []


class InputSerializer(serializers.Serializer):
    """A request body's object whose values must each have their documented
    JSON type (see the module's docstring)."""

    def to_internal_value(self, data: Any) -> Any:
        if isinstance(data, Mapping):
            problems = {
                name: found
                for name, field in self.fields.items()
                if not field.read_only
                and name in data
                and (found := type_problems(field, data[name]))
            }
            if problems:
                # The other fields are still checked, so every mistake is
                # listed at once.
                rest = {name: value for name, value in data.items() if name not in problems}
                try:
                    super().to_internal_value(rest)
                except serializers.ValidationError as error:
                    if isinstance(error.detail, Mapping):
                        problems = {**error.detail, **problems}
                raise serializers.ValidationError(problems)
        return super().to_internal_value(data)
