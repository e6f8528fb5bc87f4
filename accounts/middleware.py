"""After a temporary password, nothing but choosing a new password (or leaving)."""

from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_URL_NAMES = {"password_change", "logout"}


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.password_change_required:
            allowed = {reverse(f"accounts:{name}") for name in ALLOWED_URL_NAMES}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("accounts:password_change")
        return self.get_response(request)
