from django.urls import path

from . import views

app_name = "episodes"
urlpatterns = [
    path("", views.episode_list, name="list"),
    path("<int:pk>/", views.episode_detail, name="detail"),
]
