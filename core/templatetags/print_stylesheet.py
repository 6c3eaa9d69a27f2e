"""The one stylesheet of the documents people are given, the printed plan and
the subject access copy: frontend/print.scss, compiled from GOV.UK Frontend's
Sass by `make assets`.

`{% print_stylesheet %}` links it, for a page shown on screen (the Content
Security Policy allows no inline styles). `{% print_stylesheet inline=True %}`
writes it into the page, with the PDF's running footer, for a page that must
stand alone: the source of a PDF (WeasyPrint fetches nothing) or a copy that
is downloaded and opened later."""

from functools import cache

from django import template
from django.contrib.staticfiles import finders
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

register = template.Library()

PRINT_STYLESHEET = "print/print.css"


@cache
def compiled_stylesheet() -> str:
    path = finders.find(PRINT_STYLESHEET)
    if path is None:
        raise ImproperlyConfigured(
            f"{PRINT_STYLESHEET} is not built: run `make assets` to compile frontend/print.scss"
        )
    with open(path, encoding="utf-8") as css:
        return css.read()


@register.inclusion_tag("print/stylesheet.html")
def print_stylesheet(inline: bool = False, rtl: bool = False) -> dict:
    """`rtl`: a right-to-left document, whose running footer is mirrored too."""
    return {
        "inline": inline,
        "rtl": rtl,
        "href": PRINT_STYLESHEET,
        "css": compiled_stylesheet() if inline else "",
    }


@register.filter
def ltr(value) -> str:
    """`value` (a phone number, an email address, a reference) as a
    left-to-right isolate (U+2066 ... U+2069), so it reads in order inside
    right-to-left text: the PDF maker does not read CSS's unicode-bidi, and
    without it "0300 555 0101" shows its groups reversed in Arabic."""
    return f"\u2066{value}\u2069"


@register.filter
def typed(value) -> str:
    """What someone typed (a goal, an action, a name), in a right-to-left
    document, as a first-strong isolate (U+2068 ... U+2069): it takes the
    direction of its own first letter, so English typed into an Arabic copy
    keeps its hyphens and commas in place ("check-in", "Hannah Visitor,")."""
    if not value or not translation.get_language_bidi():
        return value
    return f"\u2068{value}\u2069"
