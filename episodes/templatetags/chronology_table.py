"""`{% chronology_table chronology episode %}`: a case's chronology as a GOV.UK
table, its rows built here rather than cell by cell in the template.

A case held for a year has 75 rows or more; as template tags each cell's
body was rendered, collected and escaped by the template engine (about 5 ms
of such a case's page, 7%: bench/ab.py with bench/variant_chronology_table.py,
same HTML). Each row's detail is free text about the
family, so it goes through people.restrictions like every other such text
on the page (the values worked out once for the page)."""

from django import template
from django.template.defaultfilters import date, truncatewords
from django.utils.html import format_html
from django.utils.timezone import template_localtime
from django.utils.translation import gettext as _

from core.govuk import render_component
from people import restrictions

register = template.Library()

DETAIL_WORDS = 40


@register.simple_tag(takes_context=True)
def chronology_table(context, entries, episode, *, caption_hidden=False):
    """`caption_hidden`: on a page whose heading names it already."""
    request = context.get("request")
    scrub = restrictions.page_scrubber(episode.family, getattr(request, "user", None))
    return render_component(
        "table",
        {
            "caption": _("Chronology"),
            "captionClasses": (
                "govuk-visually-hidden" if caption_hidden else "govuk-table__caption--m"
            ),
            "head": [{"text": _("When")}, {"text": _("What happened")}, {"text": _("By")}],
            "rows": [_row(entry, scrub) for entry in entries],
        },
    )


def _row(entry, scrub):
    what = format_html("<strong>{}</strong>", entry.title)
    if entry.detail:
        detail = truncatewords(scrub(entry.detail), DETAIL_WORDS)
        what = format_html('{}<br><span class="govuk-body-s">{}</span>', what, detail)
    return [
        # In the council's time zone, as the template's date filter shows it.
        {"text": date(template_localtime(entry.at), "j M Y" if entry.date_only else "j M Y H:i")},
        {"html": what},
        {"text": entry.by},
    ]
