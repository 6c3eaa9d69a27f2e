"""The sign-in backend: Django's, reading the user's council with the user.

Every signed-in page names the user's council in its banner and asks its id
(the council scope, the permission policy); the pages with cases work out
their deadlines from the council's timescales. Both are read with the user,
once a request, not by queries of their own, and the cases on a page are
given them (episodes.progress.with_council) rather than joining a copy each."""

from django.contrib.auth.backends import ModelBackend

from .models import User


class UserBackend(ModelBackend):
    def get_user(self, user_id):
        try:
            users = User._default_manager.select_related("local_authority__timescales")
            user = users.get(pk=user_id)
        except User.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
