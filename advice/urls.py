from django.urls import path

from . import views

app_name = "advice"
urlpatterns = [
    path("", views.advice_list, name="list"),
    path("new/", views.advice_new, name="new"),
    path("<int:pk>/", views.advice_detail, name="detail"),
    path("<int:pk>/followed-up/", views.follow_up_done, name="follow_up_done"),
]
