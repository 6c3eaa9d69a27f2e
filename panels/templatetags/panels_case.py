"""The panel part of the case page: the open panels the case is on and what
each panel decided."""

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core import policy
from core.prefetched import prefetched
from episodes import states
from panels.models import shown_on_case_page

register = template.Library()


@register.simple_tag
def panel_items(episode, user=None):
    # As the case page read them for its chronology too, else read now.
    items = prefetched(episode, "panel_agenda_items")
    if items is None:
        items = list(shown_on_case_page().filter(episode=episode))
    can_manage = bool(getattr(user, "is_authenticated", False)) and policy.can_manage_panels(user)
    return {"items": items, "can_manage": can_manage}


@register.simple_tag
def panel_referral_link(episode, user, can_work=None):
    """The case page's link to refer the family to the panel, for those who
    work on the case while its stage allows it (`can_work`: the policy's
    answer, when the page has it already)."""
    if not states.allows(episode, "refer_to_panel"):
        return ""
    if can_work is None:
        can_work = policy.can_work_on_episode(user, episode)
    if not can_work:
        return ""
    return format_html(
        '<a href="{}" class="govuk-link" id="refer-to-panel">{}</a>',
        reverse("referrals:panel", kwargs={"episode_pk": episode.pk}),
        _("Refer to the panel"),
    )
