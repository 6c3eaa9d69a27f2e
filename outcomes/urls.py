from django.urls import path

from . import views

app_name = "outcomes"
urlpatterns = [
    path("checks/", views.checks, name="checks"),
    path("checks/<int:episode_pk>/", views.record_checks, name="record_checks"),
    path("claim/", views.claim, name="claim"),
    path("claim/download/", views.claim_download, name="claim_download"),
]
