"""For ab.py: the case page's chronology as the template wrote it before its
rows were built in Python (`off()`), or as now (`on()`), switched in the
template loader's cache of this process.

    .venv/bin/python -m bench.ab --variant bench.variant_chronology_table \\
        --pages "case page (long history)" --database-url postgres://.../h_pagespeed_300k
"""

NAME = "episodes/partials/chronology.html"

# The partial before 2026-12-07: every cell a template tag.
CELL_BY_CELL = (
    "{% load i18n govuk people %}"
    '{% govuk_table caption=_("Chronology") caption_classes="govuk-table__caption--m" %}'
    '{% govuk_head %}{% govuk_cell _("When") %}{% govuk_cell _("What happened") %}'
    '{% govuk_cell _("By") %}{% endgovuk_head %}'
    "{% for entry in chronology %}{% govuk_row %}"
    "{% govuk_cell %}{% if entry.date_only %}{{ entry.at|date:'j M Y' }}"
    "{% else %}{{ entry.at|date:'j M Y H:i' }}{% endif %}{% endgovuk_cell %}"
    "{% govuk_cell %}<strong>{{ entry.title }}</strong>{% if entry.detail %}"
    '<br><span class="govuk-body-s">{% scrubbed entry.detail episode as detail %}'
    "{{ detail|truncatewords:40 }}</span>{% endif %}{% endgovuk_cell %}"
    "{% govuk_cell entry.by %}"
    "{% endgovuk_row %}{% endfor %}"
    "{% endgovuk_table %}"
)

_kept = {}


def _cache():
    from django.template import engines

    [loader] = engines["django"].engine.template_loaders
    loader.get_template(NAME)  # the cached loader: compiled once, then kept
    return loader.get_template_cache


def on():
    if "now" in _kept:
        _cache()[NAME] = _kept["now"]


def off():
    from django.template import Template, engines

    cache = _cache()
    _kept.setdefault("now", cache[NAME])
    if "before" not in _kept:
        engine = engines["django"].engine
        _kept["before"] = Template(CELL_BY_CELL, origin=_kept["now"].origin, engine=engine)
    cache[NAME] = _kept["before"]
