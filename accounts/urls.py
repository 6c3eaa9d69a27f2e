from django.urls import path

from families import postcode_views

from . import directory_views, leaver_views, views

app_name = "accounts"
urlpatterns = [
    path("sign-in/", views.sign_in, name="sign_in"),
    path("sign-in/code/", views.two_factor, name="two_factor"),
    path("sign-in/set-up/", views.two_factor_setup, name="two_factor_setup"),
    path("sign-in/recovery-code/", views.recovery_code, name="recovery_code"),
    path("sign-out/", views.sign_out, name="sign_out"),
    path("recovery-codes/", views.recovery_codes, name="recovery_codes"),
    path("recovery-codes/new/", views.new_recovery_codes, name="new_recovery_codes"),
    path("your-account/", views.your_account, name="your_account"),
    path("session/", views.session_status, name="session_status"),
    path("session/keep-alive/", views.keep_alive, name="keep_alive"),
    path("invitation/<uidb64>/<token>/", views.accept_invitation, name="accept_invitation"),
    path("settings/", views.la_settings, name="la_settings"),
    path("who-to-call/", directory_views.who_to_call, name="who_to_call"),
    path("directory/", directory_views.council_directory, name="directory"),
    path("settings/districts/", directory_views.districts, name="districts"),
    path("settings/districts/new/", directory_views.district_form, name="district_add"),
    path("settings/districts/<int:pk>/", directory_views.district_form, name="district"),
    path(
        "settings/districts/<int:pk>/remove/",
        directory_views.district_remove,
        name="district_remove",
    ),
    path("settings/schools/new/", directory_views.school_form, name="school_add"),
    path("settings/schools/<int:pk>/", directory_views.school_form, name="school"),
    # Which postcodes send a family's own request to which district (families/).
    path("settings/postcodes/", postcode_views.postcode_areas, name="postcodes"),
    path("users/", views.user_list, name="user_list"),
    path("users/invite/", views.user_invite, name="user_invite"),
    path("users/<int:pk>/", views.user_edit, name="user_edit"),
    path("users/role-requests/", views.role_requests, name="role_requests"),
    path("users/<int:pk>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("leavers/", leaver_views.leavers, name="leavers"),
    path("leavers/<int:pk>/", leaver_views.leaver_cases, name="leaver_cases"),
    path("users/<int:pk>/unlock/", views.user_unlock, name="user_unlock"),
    path(
        "users/<int:pk>/reset-two-factor/",
        views.user_reset_two_factor,
        name="user_reset_two_factor",
    ),
]
