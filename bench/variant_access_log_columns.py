"""For ab.py: "who viewed" reads only what a row shows of each event and its
actor (`on()`, audit.access_log.SHOWN) or every column of both (`off()`, as
before), switched on audit.access_log in this process.

    .venv/bin/python -m bench.ab --variant bench.variant_access_log_columns --clock wall \\
        --pages "who viewed" --database-url postgres://.../h_pagespeed_300k
"""

from audit import access_log

_for_episode = access_log.for_episode


def _every_column(episode):
    return _for_episode(episode).defer(None)


def on():
    access_log.for_episode = _for_episode


def off():
    access_log.for_episode = _every_column
