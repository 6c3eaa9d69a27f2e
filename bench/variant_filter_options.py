"""For ab.py: a filter's <option>s escaped once for every page given the same
list (`on()`, core.templatetags.govuk's govuk_options) or each escaped on
every page (`off()`, as before), switched in this process.

    .venv/bin/python -m bench.ab --variant bench.variant_filter_options \\
        --pages worklist --database-url postgres://.../h_pagespeed_300k
"""

from core.templatetags import govuk

_plain_pairs = govuk._plain_pairs


def on():
    govuk._plain_pairs = _plain_pairs


def off():
    govuk._plain_pairs = lambda choices: None
