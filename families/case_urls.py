from django.urls import path

from . import case_views

app_name = "family_voice"

urlpatterns = [
    path("", case_views.case, name="case"),
    path("feedback-link/", case_views.feedback_link, name="feedback_link"),
    path("feedback-on-paper/", case_views.paper, name="paper"),
    path("plan-link/", case_views.plan_link, name="plan_link"),
    path("link/", case_views.issued, name="issued"),
    path("links/<int:pk>/revoke/", case_views.revoke, name="revoke"),
]
