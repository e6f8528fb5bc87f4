"""After a staff login: whether the portal's second factor is still to be asked."""

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

from backoffice.login import SECOND_FACTOR_ELSEWHERE, second_factor_done_elsewhere

# Named here, not imported: the backend's module needs python-ldap, an optional extra.
DIRECTORY_BACKEND = "staff_login.directory.DirectoryBackend"


@receiver(user_logged_in, dispatch_uid="staff_login.second_factor")
def second_factor_by_directory(sender, request, user, **kwargs):
    """A directory that demands a second factor itself (DIRECTORY_ENFORCES_TWO_FACTOR)
    spares its members the portal's code; any other login asks it as before."""
    if request is None or not hasattr(request, "session"):
        return
    backend = getattr(user, "backend", "")
    if backend == DIRECTORY_BACKEND and getattr(settings, "DIRECTORY_ENFORCES_TWO_FACTOR", False):
        second_factor_done_elsewhere(request.session, by="annuaire")
    else:
        request.session.pop(SECOND_FACTOR_ELSEWHERE, None)
