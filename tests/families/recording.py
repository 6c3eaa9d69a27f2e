"""Every message id a family page looks up while it is rendered: the family-
facing strings, found by rendering rather than listed by hand."""

from contextlib import contextmanager

from django.conf import settings
from django.utils import translation


def _for_a_family():
    return translation.get_language() != settings.LANGUAGE_CODE


@contextmanager
def looked_up():
    """Yield the set of message ids gettext (and its variants) was asked for,
    except in the practitioners' language (LANGUAGE_CODE): what a family's
    page sends staff (the officer's email) is not family-facing."""
    seen: set[str] = set()
    trans = translation._trans
    names = ("gettext", "pgettext", "ngettext", "npgettext")
    originals = {name: getattr(trans, name) for name in names}

    def gettext(message):
        if _for_a_family():
            seen.add(message)
        return originals["gettext"](message)

    def pgettext(context, message):
        if _for_a_family():
            seen.add(message)
        return originals["pgettext"](context, message)

    def ngettext(singular, plural, number):
        if _for_a_family():
            seen.update((singular, plural))
        return originals["ngettext"](singular, plural, number)

    def npgettext(context, singular, plural, number):
        if _for_a_family():
            seen.update((singular, plural))
        return originals["npgettext"](context, singular, plural, number)

    replacements = {
        "gettext": gettext,
        "pgettext": pgettext,
        "ngettext": ngettext,
        "npgettext": npgettext,
    }
    for name, function in replacements.items():
        setattr(trans, name, function)
    try:
        yield seen
    finally:
        for name, function in originals.items():
            setattr(trans, name, function)
