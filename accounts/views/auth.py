"""Log in, log out, and the page shown when too many attempts lock an account or an IP."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from accounts import logout_elsewhere
from accounts.forms import LoginForm


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logs out of the portal; a session an identity federation opened goes on to its
    logout, so that the citizen leaves both (accounts/logout_elsewhere.py)."""

    def post(self, request, *args, **kwargs):
        elsewhere = logout_elsewhere.take(request.session)
        response = super().post(request, *args, **kwargs)
        if elsewhere is None:
            return response
        url, keep = elsewhere
        request.session.update(keep)
        return HttpResponseRedirect(url)


def lockout(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
