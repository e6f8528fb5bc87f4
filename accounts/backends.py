"""Log in with the generated identifier, or once with a temporary password.

Every failed attempt costs the same two hash checks, whether the account exists,
is inactive, pending or staff (accounts/hashing.py): time does not tell who exists.
"""

from django.contrib.auth.backends import ModelBackend

from accounts.hashing import dummy_check
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
            dummy_check(password)
            dummy_check(password)
            return None
        allowed = self.user_can_authenticate(user)
        if user.check_password(password) and allowed:
            return user
        # The old password keeps working until the temporary one is used.
        if user.temporary_password_matches(password) and allowed:
            temporary_password_consume(account=user)
            return user
        return None
