from django.urls import path

from . import views

app_name = "families"

urlpatterns = [
    path("ask-for-help/", views.ask, name="ask"),
    path("ask-for-help/sent/", views.sent, name="sent"),
    # The link pages: the token is the link's secret (families/links.py).
    path("feedback/thank-you/", views.thanks, name="thanks"),
    path("feedback/<str:token>/", views.feedback, name="feedback"),
    path("your-plan/<str:token>/", views.plan, name="plan"),
]
