from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("ask-for-help/", views.ask, name="ask"),
    path("ask-for-help/sent/", views.sent, name="sent"),
]
