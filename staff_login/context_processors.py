from django.conf import settings

from staff_login.proconnect_config import is_enabled


def staff_login(request):
    """Whether the admin's login page shows the ProConnect button and says how the town's
    directory is used."""
    return {
        "proconnect_enabled": is_enabled(),
        "directory_enabled": settings.DIRECTORY_ENABLED,
        "staff_two_factor": settings.STAFF_TWO_FACTOR,
    }
