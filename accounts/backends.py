"""Log in with the generated identifier, or once with a temporary password."""

from django.contrib.auth.backends import ModelBackend

from accounts.models import User
from accounts.services import temporary_password_consume


class IdentifierBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        username = username or kwargs.get(User.USERNAME_FIELD)
        if not username or not password:
            return None
        try:
            user = User.objects.get_by_natural_key(username)
        except User.DoesNotExist:
            # Hash anyway, so that timing does not tell which identifiers exist.
            User().set_password(password)
            return None
        if not self.user_can_authenticate(user):
            return None
        if user.check_password(password):
            return user
        # The old password keeps working until the temporary one is used.
        if user.temporary_password_matches(password):
            temporary_password_consume(account=user)
            return user
        return None
