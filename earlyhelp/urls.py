from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("episodes.urls")),
    path("people/", include("people.urls")),
    path("system-admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
