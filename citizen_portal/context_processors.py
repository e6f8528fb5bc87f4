from django.conf import settings


def town(request):
    """The town-specific facts of the footer and legal pages, from settings."""
    return {"town": settings.TOWN}
