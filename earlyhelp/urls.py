from django.contrib import admin
from django.urls import include, path

from core.health import health

urlpatterns = [
    # For load balancers and monitoring: no sign-in, no personal data.
    path("health/", health, name="health"),
    path("", include("core.urls")),
    path("accounts/", include("accounts.urls")),
    path("cases/", include("episodes.urls")),
    path("", include("audit.urls")),
    # Each step of the journey hangs off its case: /cases/<id>/<step>/...
    path("cases/<int:episode_pk>/consent/", include("consent.urls")),
    path("cases/<int:episode_pk>/assessment/", include("assessments.urls")),
    path("cases/<int:episode_pk>/meetings/", include("meetings.urls")),
    path("cases/<int:episode_pk>/plan/", include("plans.urls")),
    path("cases/<int:episode_pk>/reviews/", include("reviews.urls")),
    path("cases/<int:episode_pk>/referrals/", include("referrals.urls")),
    path("cases/<int:episode_pk>/notes/", include("notes.urls")),
    path("people/duplicates/", include("matching.urls")),
    path("people/", include("people.urls")),
    path("notifications/", include("notifications.urls")),
    path("panels/", include("panels.urls")),
    path("advice/", include("advice.urls")),
    path("police/", include("police.urls")),
    path("worklist/", include("oversight.urls")),
    path("performance/", include("performance.urls")),
    path("outcomes/", include("outcomes.urls")),
    # Quality audits hang off their case; samples, summary and criteria under /quality/.
    path("", include("quality.urls")),
    path("privacy/", include("privacy.urls")),
    path("returns/", include("returns.urls")),
    # Aggregate reports for the council's managers (figures, never a case).
    path("", include("reporting.urls")),
    # The partner API for other agencies' systems (docs/API.md), by token.
    path("api/v1/", include("api.urls")),
    path("system-admin/", admin.site.urls),
]

handler403 = "core.views.permission_denied"
