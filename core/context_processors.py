from functools import lru_cache

from django.conf import settings
from django.urls import get_script_prefix, get_urlconf, reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from core import policy
from reporting.index import reports_for

# Each link of the navigation: its page and its words.
CASES = ("episodes:list", gettext_noop("Cases"))
WORKLIST = ("oversight:worklist", gettext_noop("Worklist"))
ADVICE = ("advice:list", gettext_noop("Advice line"))
POLICE = ("police:list", gettext_noop("Police notifications"))
QUALITY = ("quality:index", gettext_noop("Quality assurance"))
REPORTS = ("reporting:index", gettext_noop("Reports"))
PANELS = ("panels:list", gettext_noop("Panels"))
USERS = ("accounts:user_list", gettext_noop("Users"))
COUNCIL_SETTINGS = ("accounts:la_settings", gettext_noop("Council settings"))
DISTRICTS = ("accounts:districts", gettext_noop("Districts and schools"))
QUALITY_CRITERIA = ("quality:criteria", gettext_noop("Quality criteria"))
WHO_TO_CALL = ("accounts:who_to_call", gettext_noop("Who to call"))
SYSTEM_ADMIN = ("admin:index", gettext_noop("System admin"))


@lru_cache(maxsize=256)
def _link(link: tuple[str, str], language: str | None, *urls: object) -> tuple[str, str]:
    """A link's address and words, worked out once per language and set of
    URLs (every page shows the navigation; which links, the policy decides
    on each request)."""
    name, words = link
    return reverse(name), _(words)


def _links(user):
    """The links the user may follow, in the navigation's order."""
    if policy.can_see_case_lists(user):
        yield CASES
        yield WORKLIST
    if policy.can_give_advice(user):
        yield ADVICE
    # A school's key adult finds each notification on their home page and
    # in an email: asking every page whether the user is one would cost a
    # query a page.
    if policy.can_record_police_notification(user):
        yield POLICE
    if policy.can_audit(user):
        yield QUALITY
    if reports_for(user):
        yield REPORTS
    if policy.can_manage_panels(user):
        yield PANELS
    if policy.can_manage_users(user):
        yield from (USERS, COUNCIL_SETTINGS, DISTRICTS)
        if not policy.can_audit(user):
            yield QUALITY_CRITERIA
    if user.local_authority_id is not None:
        yield WHO_TO_CALL
    if user.is_staff:
        yield SYSTEM_ADMIN


def service(request):
    """Service name and the navigation the signed-in user may use."""
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        urls = (settings.ROOT_URLCONF, get_urlconf(), get_script_prefix())
        language = get_language()
        for link in _links(user):
            href, text = _link(link, language, *urls)
            navigation.append({"href": href, "text": text})
    path = request.path
    # The most specific link is the current one ("Council settings" is not
    # current on the districts page below it).
    current = max(
        (item["href"] for item in navigation if path.startswith(item["href"])),
        key=len,
        default=None,
    )
    for item in navigation:
        item["active"] = item["href"] == current
    return {"service_name": _("Early Help"), "service_navigation": navigation}
