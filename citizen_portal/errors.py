"""The portal's own error pages where Django's defaults would not do: the CSRF failure
and the 400 (Django renders them without the request, so without the site's header), and
the 500, which must render when the database or the session store is down."""

from django.conf import settings
from django.http import HttpResponseBadRequest, HttpResponseForbidden, HttpResponseServerError
from django.template import loader


def csrf_failure(request, reason: str = ""):
    return HttpResponseForbidden(loader.render_to_string("403_csrf.html", request=request))


def bad_request(request, exception=None):
    """A request Django cannot read (too many fields or files, a bad host). With the request,
    so that the site's header, cached once per process, gets the town's facts."""
    return HttpResponseBadRequest(loader.render_to_string("400.html", request=request))


def server_error(request):
    # Without the request's context processors: no session, no user, no database.
    return HttpResponseServerError(loader.render_to_string("500.html", {"town": settings.TOWN}))
