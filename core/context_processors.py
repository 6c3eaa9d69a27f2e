from django.urls import reverse
from django.utils.translation import gettext as _

from core import policy


def service(request):
    """Service name and the navigation the signed-in user may use."""
    user = getattr(request, "user", None)
    navigation = []
    if user is not None and user.is_authenticated:
        if policy.can_see_case_lists(user):
            navigation.append({"href": reverse("episodes:list"), "text": _("Cases")})
        if policy.can_manage_panels(user):
            navigation.append({"href": reverse("panels:list"), "text": _("Panels")})
        if policy.can_manage_users(user):
            navigation.append({"href": reverse("accounts:user_list"), "text": _("Users")})
            navigation.append(
                {"href": reverse("accounts:la_settings"), "text": _("Council settings")}
            )
        if user.is_staff:
            navigation.append({"href": reverse("admin:index"), "text": _("System admin")})
    path = request.path
    for item in navigation:
        item["active"] = path.startswith(item["href"])
    return {"service_name": _("Early Help"), "service_navigation": navigation}
