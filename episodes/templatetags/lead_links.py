"""The case page's link to change the lead professional, for those who may,
and a warning when the lead has left (their account is deactivated)."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import policy
from episodes import states

register = template.Library()


@register.simple_tag
def lead_professional_links(episode, user):
    lead = episode.lead_professional
    if lead is None or not states.allows(episode, "change_lead"):
        return ""
    left = (
        format_html(
            '<strong class="govuk-tag govuk-tag--red">{}</strong> ',
            _("%(name)s has left") % {"name": lead.full_name},
        )
        if not lead.is_active
        else ""
    )
    if not policy.can_change_lead(user, episode):
        return format_html('<p class="govuk-body" id="lead-professional-actions">{}</p>', left)
    others = (
        format_html(
            ' <a class="govuk-link" href="{}">{}</a>',
            reverse("accounts:leaver_cases", kwargs={"pk": lead.pk}),
            _("See all the cases they lead"),
        )
        if not lead.is_active
        else ""
    )
    return format_html(
        '<p class="govuk-body" id="lead-professional-actions">{}<a class="govuk-link" '
        'href="{}">{}</a>{}</p>',
        left,
        reverse("episodes:change_lead", kwargs={"pk": episode.pk}),
        _("Change the lead professional"),
        others,
    )
