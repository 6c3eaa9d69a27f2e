"""Django admin (/system-admin/) signs in through the service's own sign-in
pages, so system administrators use two-factor sign-in too."""

from django.contrib import admin
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse


class EarlyHelpAdminSite(admin.AdminSite):
    @login_not_required
    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            if self.has_permission(request):
                return redirect("admin:index")
            # Signed in, but not a system administrator.
            raise PermissionDenied
        return redirect_to_login(request.GET.get("next") or reverse("admin:index"))
