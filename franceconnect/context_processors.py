from franceconnect.config import is_enabled


def franceconnect(request):
    """Whether the FranceConnect button shows (the home page, the registration page)."""
    return {"franceconnect_enabled": is_enabled()}
