from django.urls import reverse
from django.utils.translation import gettext as _

from core import policy
from reporting.index import reports_for


def service(request):
    """Service name and the navigation the signed-in user may use."""
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        if policy.can_see_case_lists(user):
            navigation.append({"href": reverse("episodes:list"), "text": _("Cases")})
        if policy.can_see_case_lists(user):
            navigation.append({"href": reverse("oversight:worklist"), "text": _("Worklist")})
        if policy.can_give_advice(user):
            navigation.append({"href": reverse("advice:list"), "text": _("Advice line")})
        # A school's key adult finds each notification on their home page and
        # in an email: asking every page whether the user is one would cost a
        # query a page.
        if policy.can_record_police_notification(user):
            navigation.append({"href": reverse("police:list"), "text": _("Police notifications")})
        if policy.can_audit(user):
            navigation.append({"href": reverse("quality:index"), "text": _("Quality assurance")})
        if reports_for(user):
            navigation.append({"href": reverse("reporting:index"), "text": _("Reports")})
        if policy.can_manage_panels(user):
            navigation.append({"href": reverse("panels:list"), "text": _("Panels")})
        if policy.can_manage_users(user):
            navigation.append({"href": reverse("accounts:user_list"), "text": _("Users")})
            navigation.append(
                {"href": reverse("accounts:la_settings"), "text": _("Council settings")}
            )
            navigation.append(
                {"href": reverse("accounts:districts"), "text": _("Districts and schools")}
            )
            if not policy.can_audit(user):
                navigation.append(
                    {"href": reverse("quality:criteria"), "text": _("Quality criteria")}
                )
        if user.local_authority_id is not None:
            navigation.append({"href": reverse("accounts:who_to_call"), "text": _("Who to call")})
        if user.is_staff:
            navigation.append({"href": reverse("admin:index"), "text": _("System admin")})
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
