"""Personal pages are never kept by a shared cache (OWASP ASVS 8.2.1, issue 23).

Every answer to a logged-in citizen or clerk, and every page that shows personal data
without a login (the tracking link of a request sent without an account, the links of
the email-change mails), says ``Cache-Control: private, no-store``: a proxy or a shared
browser cache must not hand one person's page to the next. Public pages keep their own
headers. The rule lives in one middleware, so that a new page cannot forget it; a page
open to anyone that shows personal data says so with ``@personal_page``."""

from collections.abc import Callable

from django.conf import settings
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty


def personal_page(view: Callable) -> Callable:
    """Marks a view open without a login whose page shows personal data (put it on top of
    the other decorators: the resolver hands the outermost function to the middleware)."""
    view.personal_page = True  # type: ignore[attr-defined]
    return view


def is_personal(request) -> bool:
    match = getattr(request, "resolver_match", None)
    if match is not None and getattr(match.func, "personal_page", False):
        return True
    user = getattr(request, "user", None)
    if user is None:
        return False
    if (
        isinstance(user, SimpleLazyObject)
        and user._wrapped is empty
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
    ):
        return False  # no session and nobody looked: an anonymous visitor, not loaded
    return user.is_authenticated


class PersonalPagesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if is_personal(request):
            patch_cache_control(response, private=True, no_store=True)
        return response
