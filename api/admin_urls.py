"""The LA administrator's pages for partner systems (api/admin_views.py)."""

from django.urls import path

from . import admin_views

app_name = "api_clients"
urlpatterns = [
    path("", admin_views.client_list, name="list"),
    path("add/", admin_views.client_add, name="add"),
    path("<int:pk>/", admin_views.client_detail, name="detail"),
    path("<int:pk>/rotate/", admin_views.client_rotate, name="rotate"),
    path("<int:pk>/revoke/", admin_views.client_revoke, name="revoke"),
    path("<int:pk>/webhooks/add/", admin_views.subscription_add, name="subscription_add"),
    path(
        "<int:pk>/webhooks/<int:subscription_pk>/remove/",
        admin_views.subscription_remove,
        name="subscription_remove",
    ),
    path(
        "<int:pk>/deliveries/<int:delivery_pk>/send-again/",
        admin_views.delivery_send_again,
        name="send_again",
    ),
]
