from django import template

from people import restrictions

register = template.Library()


@register.simple_tag(takes_context=True)
def shown(context, person):
    """`{% shown person as person %}`: the person as the signed-in user may see
    them, restricted parts blanked (and views of them audited)."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return restrictions.shown_to(user, person, request)


@register.simple_tag(takes_context=True)
def scrubbed(context, text, episode):
    """`{% scrubbed meeting.location episode %}`: free text about the case with
    any restricted value the signed-in user may not see replaced."""
    request = context.get("request")
    return restrictions.page_scrubber(episode.family, getattr(request, "user", None))(text)
