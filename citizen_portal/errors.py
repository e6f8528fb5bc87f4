"""The portal's own error pages where Django's defaults would not do: the CSRF failure
(Django renders it without the request, so without the site's header), and the 500, which
must render when the database or the session store is down."""

from django.conf import settings
from django.http import HttpResponseForbidden, HttpResponseServerError
from django.template import loader


def csrf_failure(request, reason: str = ""):
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def server_error(request):
    # Without the request's context processors: no session, no user, no database.
    return HttpResponseServerError(loader.render_to_string("500.html", {"town": settings.TOWN}))
