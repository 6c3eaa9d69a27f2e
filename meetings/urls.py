from django.urls import path

from . import views

app_name = "meetings"
urlpatterns = [
    path("", views.meeting_list, name="list"),
    path("new/", views.arrange, name="arrange"),
    path("team/", views.add_organisation, name="add_organisation"),
    path("<int:pk>/", views.meeting_detail, name="detail"),
    path("<int:pk>/record/", views.record_meeting, name="record"),
    path("<int:pk>/invite.ics", views.invite_ics, name="ics"),
    path("<int:pk>/email/", views.email_invite, name="email"),
    path("<int:pk>/move/", views.reschedule, name="reschedule"),
    path("<int:pk>/cancel/", views.cancel, name="cancel"),
    path("<int:pk>/letters/<int:person_pk>.pdf", views.letter, name="letter"),
]
