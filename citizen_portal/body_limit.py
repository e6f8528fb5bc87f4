"""A request body above ``REQUEST_BODY_MAX_SIZE`` is refused before anything reads it.

Django reads a form's whole body (every file in it) before any form field sees it, so
a document's own limit (10 MB) is only checked once the upload is over. The declared
``Content-Length`` is enough to refuse sooner: under WSGI, Django never reads past it.
The proxy caps the body too (README, « Deploy »), and gunicorn its request line and
headers.
"""

from django.conf import settings
from django.shortcuts import render


class RequestBodyLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0  # Django reads such a body as empty
        if declared > settings.REQUEST_BODY_MAX_SIZE:
            limit_mb = settings.REQUEST_BODY_MAX_SIZE // (1024 * 1024)
            response = render(request, "413.html", {"limit_mb": limit_mb}, status=413)
            response["Connection"] = "close"  # the unread body must not be taken for a request
            return response
        return self.get_response(request)
