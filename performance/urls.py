from django.urls import path

from . import views

app_name = "performance"
urlpatterns = [
    path("", views.indicators, name="indicators"),
    path("download.csv", views.download, name="download"),
    path("targets/", views.targets, name="targets"),
]
