from django.urls import path

from . import views

app_name = "consent"
urlpatterns = [
    path("", views.consent_list, name="list"),
    path("judgement/", views.judgement, name="judgement"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("overrides/<int:pk>/review/", views.review_override, name="review_override"),
]
