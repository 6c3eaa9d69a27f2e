"""The sign-in backend: Django's, reading the user's council with the user.

Every signed-in page names the user's council in its banner and asks its id
(the council scope, the permission policy): read with the user, once a
request, not by a query of its own."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            user = User._default_manager.select_related("local_authority").get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
