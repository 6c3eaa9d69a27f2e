from django.urls import path

from . import views

app_name = "reviews"
urlpatterns = [
    path("", views.review_list, name="list"),
    path("new/", views.record_review, name="record"),
    path("<int:pk>/", views.review_detail, name="detail"),
]
