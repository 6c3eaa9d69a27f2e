"""For ab.py: the GOV.UK tag and summary list written by core.govuk in Python
(`on()`) or by their templates (`off()`), switched in this process. The HTML
is the same either way (tests/core/test_govuk_components.py).

    .venv/bin/python -m bench.ab --variant bench.variant_govuk_components \\
        --pages "case page (long history)" --database-url postgres://.../h_pagespeed_300k
"""

from core import govuk

_written_in_python = {name: govuk.RENDERERS[name] for name in ("tag", "summary-list")}


def on():
    govuk.RENDERERS.update(_written_in_python)


def off():
    for name in _written_in_python:
        govuk.RENDERERS.pop(name, None)
