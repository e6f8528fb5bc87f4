"""What the least a Django page costs, measured beside the portal's pages on the same server.

(a) ``logged_in``: a login-required view that renders a one-line template with the
user's name. It goes through the portal's middleware and session backend, as every
citizen page does, but not through the portal's context processors: the count of
unread messages in the header is part of what the portal's pages cost.
(b) ``bare``: a view that returns a short text, for an anonymous visitor.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.views.decorators.http import require_GET


@login_required
@require_GET
def logged_in(request):
    html = render_to_string("bench/baseline.html", {"name": request.user.get_full_name()})
    return HttpResponse(html)


@require_GET
def bare(request):
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
