from django.urls import path

from . import lead_views, request_views, views

app_name = "episodes"
urlpatterns = [
    path("", views.episode_list, name="list"),
    path("<int:pk>/", views.episode_detail, name="detail"),
    path("<int:pk>/chronology/", views.episode_chronology, name="chronology"),
    path("<int:pk>/close/", views.close, name="close"),
    path("<int:pk>/lead-professional/", lead_views.change_lead, name="change_lead"),
    path("new/", request_views.request_start, name="request_start"),
    path("new/matches/", request_views.request_matches, name="request_matches"),
    path("new/add/", request_views.request_add_existing, name="request_add_existing"),
    path("new/person/", request_views.request_new_person, name="request_new_person"),
    path("new/people/", request_views.request_people, name="request_people"),
    path("new/details/", request_views.request_details, name="request_details"),
    path("new/check/", request_views.request_check, name="request_check"),
]
