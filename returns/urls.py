from django.urls import path

from . import views

app_name = "returns"
urlpatterns = [
    path("annex-a/", views.annex_a_page, name="annex_a"),
]
