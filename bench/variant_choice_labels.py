"""For ab.py: choice labels (`get_FOO_display`) as Django gives them, each
call translating every choice of the field (`off()`), or kept per field and
language (`on()`, core/choice_labels.py), switched on the models of this
process.

    .venv/bin/python -m bench.ab --variant bench.variant_choice_labels \\
        --pages "case page (long history)" --database-url postgres://.../h_pagespeed_300k
"""

from functools import partialmethod

from django.db import models

from core import choice_labels

_kept: dict = {}


def _methods():
    for model in choice_labels.own_models():
        for field in model._meta.concrete_fields:
            name = f"get_{field.name}_display"
            if field.choices and name in vars(model):
                yield model, name, field


def off():
    for model, name, field in _methods():
        _kept[(model, name)] = vars(model)[name]
        setattr(model, name, partialmethod(models.Model._get_FIELD_display, field=field))


def on():
    for (model, name), method in _kept.items():
        setattr(model, name, method)
