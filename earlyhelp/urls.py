from django.contrib import admin
from django.urls import include, path

from core.health import health
from families import views as family_views
from families.languages import family_language_patterns

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
    # The family's voice (feedback) and their plan online (families/).
    path("cases/<int:episode_pk>/family/", include("families.case_urls")),
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
    path("accounts/settings/api-clients/", include("api.admin_urls")),
    path("system-admin/", admin.site.urls),
    # The family page's printed address: on to /<language>/ask-for-help/.
    path("ask-for-help/", family_views.choose_language, name="ask_for_help"),
    # Requests families sent themselves, for the Early Help Officer.
    path("family-requests/", include("families.staff_urls")),
]
# The family pages, in the family's language: /<language>/ask-for-help/.
urlpatterns += family_language_patterns(path("", include("families.urls")))

handler403 = "core.views.permission_denied"
