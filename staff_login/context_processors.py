from staff_login.proconnect_config import is_enabled


def proconnect(request):
    """Whether the ProConnect button shows on the admin's login page."""
    return {"proconnect_enabled": is_enabled()}
