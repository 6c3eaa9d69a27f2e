"""The consent parts of the case and consent pages."""

from django import template

from consent import services

register = template.Library()


@register.simple_tag
def latest_judgement(episode):
    """The newest judgement on refused consent, or None: from the records the
    case page read already when it did (episodes.chronology.case_page_records)."""
    return services.latest_refusal_judgement(episode)
