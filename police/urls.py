from django.urls import path

from . import views

app_name = "police"
urlpatterns = [
    path("", views.notification_list, name="list"),
    path("new/", views.notification_new, name="new"),
    path("<int:pk>/", views.notification_detail, name="detail"),
    path("<int:pk>/acknowledge/", views.notification_acknowledge, name="acknowledge"),
    path("non-school-days/", views.non_school_days, name="non_school_days"),
    path(
        "non-school-days/<int:pk>/remove/",
        views.non_school_day_remove,
        name="non_school_day_remove",
    ),
]
