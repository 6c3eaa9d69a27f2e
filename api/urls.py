"""/api/v1/: partner systems authenticate with a token, not a session, so the
sign-in requirement does not apply (an unauthenticated call is answered 401)."""

from django.contrib.auth.decorators import login_not_required
from django.urls import path, re_path
from drf_spectacular.views import SpectacularJSONAPIView

from . import actions, matching, reference, requests, views, webhook_views

# The document describes the interface only (no council's data): partners read
# it before they hold a token.
PUBLIC_DOCUMENT = SpectacularJSONAPIView.as_view(
    authentication_classes=[], permission_classes=[], throttle_classes=[]
)

app_name = "api"
urlpatterns = [
    path(
        "openapi.json",
        login_not_required(PUBLIC_DOCUMENT),
        name="openapi",
    ),
    path("reference/", reference.reference, name="reference"),
    path("cases/", login_not_required(views.CasesView.as_view()), name="cases"),
    path("directory/", login_not_required(views.DirectoryView.as_view()), name="directory"),
    path(
        "police-notifications/",
        login_not_required(views.PoliceNotificationsView.as_view()),
        name="police_notifications",
    ),
    path(
        "police-notifications/<str:id>/",
        login_not_required(views.PoliceNotificationView.as_view()),
        name="police_notification",
    ),
    path("requests/", login_not_required(requests.RequestsView.as_view()), name="requests"),
    path(
        "requests/already-known/",
        login_not_required(requests.AlreadyKnownView.as_view()),
        name="already_known",
    ),
    path("matches/", login_not_required(matching.MatchesView.as_view()), name="matches"),
    path(
        "plan-actions/<str:id>/",
        login_not_required(actions.PlanActionView.as_view()),
        name="plan_action",
    ),
    path("webhooks/", login_not_required(webhook_views.WebhooksView.as_view()), name="webhooks"),
    path(
        "webhooks/<str:id>/",
        login_not_required(webhook_views.WebhookView.as_view()),
        name="webhook",
    ),
    # Anything else under /api/v1/ answers a problem, not the service's HTML page.
    re_path(r"^.*$", login_not_required(views.not_found), name="not_found"),
]
