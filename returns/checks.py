"""`check --deploy` for statutory returns."""

from django.conf import settings
from django.core.checks import Warning


def check_child_id_key(app_configs=None, **kwargs):
    """The child ids in every return (returns/annex_a.py) are keyed with
    RETURNS_CHILD_ID_KEY. Left unset it is SECRET_KEY, and rotating SECRET_KEY
    (as after a leak) would give every child a new id: Ofsted and the
    council's own analysts could no longer follow a child from one return to
    the next."""
    if settings.RETURNS_CHILD_ID_KEY != settings.SECRET_KEY:
        return []
    return [
        Warning(
            "RETURNS_CHILD_ID_KEY is not set, so the child ids in statutory returns "
            "follow SECRET_KEY and would all change if SECRET_KEY were rotated.",
            hint="Set RETURNS_CHILD_ID_KEY (or RETURNS_CHILD_ID_KEY_FILE) once to a long "
            "random value and never change it, as docs/PRODUCTION.md shows.",
            id="earlyhelp.W011",
        )
    ]
