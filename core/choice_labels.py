"""Choice labels (`get_FOO_display`) without translating every choice on each call.

Django's `get_FOO_display` builds a dict of the field's choices each time it
is called, hashing every label; a label is a lazy translation, so each call
translates every choice of the field. A case page calls it for each of its
year's records (a note's kind, a review's rating, a consent's purpose...): a
tenth of the page's Python. Here each field's labels are worked out once per
language and kept; the text is the same as Django's (tests/core/
test_choice_labels.py compares them for every field, value and language).

`install` puts this in place of Django's method on every model of the
service's own apps, once the models are loaded (core.apps); a model that
defines its own `get_FOO_display` keeps it.
"""

from __future__ import annotations

from functools import partialmethod
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.db import models
from django.utils.encoding import force_str
from django.utils.hashable import make_hashable
from django.utils.translation import get_language

# {(field, language): {value: label}}; a field's choices are fixed when its model loads.
_LABELS: dict[tuple[models.Field, str | None], dict[Any, str]] = {}


def labels(field: models.Field) -> dict[Any, str]:
    """The field's choices as {value: label}, in the active language."""
    key = (field, get_language())
    found = _LABELS.get(key)
    if found is None:
        found = {make_hashable(value): str(label) for value, label in field.flatchoices}
        _LABELS[key] = found
    return found


def display(instance: models.Model, field: models.Field) -> Any:
    """What Django's Model._get_FIELD_display returns, from `labels`."""
    value = getattr(instance, field.attname)
    return force_str(labels(field).get(make_hashable(value), value), strings_only=True)


def _is_djangos(method: object) -> bool:
    return (
        isinstance(method, partialmethod) and method.func is models.Model._get_FIELD_display  # type: ignore[attr-defined]
    )


def own_models() -> list[type[models.Model]]:
    """The models of the service's own apps, each a folder at the top of the
    project (not Django's or an installed package's)."""
    base = Path(settings.BASE_DIR).resolve()
    return [
        model
        for model in apps.get_models()
        if Path(model._meta.app_config.path).resolve().parent == base
    ]


def install() -> None:
    for model in own_models():
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices and _is_djangos(vars(model).get(name)):
                setattr(model, name, partialmethod(display, field=field))
