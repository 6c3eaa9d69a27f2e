"""`records|newest:5`: the case page's short list of a case's notes or files
(read oldest first for the chronology), newest first. The notes page lists
them all, a page at a time."""

from django import template

register = template.Library()


@register.filter
def newest(records, count):
    return list(records)[-int(count) :][::-1]
