"""Choice labels worked out once per field and language (core/choice_labels.py)
are the text Django's own `get_FOO_display` gives, for every choice field of
every model of the service, every value, and a value that is not a choice."""

import inspect

import pytest
from django.conf import settings
from django.db import models
from django.utils import translation

from core import choice_labels

CHOICE_FIELDS = [
    (model, field)
    for model in choice_labels.own_models()
    for field in model._meta.concrete_fields
    if field.choices
]


def test_every_choice_field_of_the_service_has_the_kept_labels():
    assert len(CHOICE_FIELDS) > 40  # the service's own models were found
    installed = [
        f"{model.__name__}.{field.name}"
        for model, field in CHOICE_FIELDS
        if inspect.getattr_static(model, f"get_{field.name}_display").func is choice_labels.display
    ]
    assert len(installed) == len(CHOICE_FIELDS)
    # Not Django's or a package's models.
    assert all(
        model._meta.app_label not in {"auth", "sessions", "otp_totp", "django_tasks_database"}
        for model in choice_labels.own_models()
    )


@pytest.mark.parametrize("language", [code for code, _name in settings.LANGUAGES])
def test_each_label_is_djangos_in_every_language(language):
    with translation.override(language):
        for model, field in CHOICE_FIELDS:
            for value in [value for value, _label in field.flatchoices] + ["not-a-choice", None]:
                instance = model()
                setattr(instance, field.attname, value)
                expected = models.Model._get_FIELD_display(instance, field)
                shown = getattr(instance, f"get_{field.name}_display")()
                assert (shown, type(shown)) == (expected, type(expected)), (
                    language,
                    model.__name__,
                    field.name,
                    value,
                )
