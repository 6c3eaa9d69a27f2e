from django.urls import path

from . import views

app_name = "referrals"
urlpatterns = [
    path("step-up/", views.step_up, name="step_up"),
    path("panel/", views.refer_to_panel, name="panel"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/decision/", views.decision, name="decision"),
]
