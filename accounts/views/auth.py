"""Log in, log out, and the page shown when too many attempts lock an account or an IP."""

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponseRedirect
from django.shortcuts import render

from accounts.forms import LoginForm
from franceconnect import logout as franceconnect_logout
from franceconnect import sessions as franceconnect_sessions


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    """Logs out of the portal; a session FranceConnect opened goes on to its end-session
    endpoint, so that the citizen leaves both (franceconnect/logout.py)."""

    def post(self, request, *args, **kwargs):
        end_session = franceconnect_logout.end_session_url(request)
        response = super().post(request, *args, **kwargs)
        if end_session is None:
            return response
        url, state = end_session
        request.session[franceconnect_sessions.LOGOUT_STATE] = state
        return HttpResponseRedirect(url)


def lockout(request, original_response=None, credentials=None):
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "accounts/lockout.html", {"minutes": minutes}, status=429)
