"""The way to a provider and the state on the way back, as the federations want them.

mozilla-django-oidc builds the authorization request and keeps in the session, under
``oidc_states``, each attempt's state with its nonce; we add to each the page to return
to (``next``), so that two tabs started on two pages each come back to their own, and
take a state out when its answer comes: a state serves once.
"""

from collections.abc import Callable
from functools import wraps
from urllib.parse import parse_qs, urlsplit

from django.http import Http404, HttpResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views import View
from mozilla_django_oidc.views import OIDCAuthenticationRequestView

from common.oidc.config import ProviderConfig
from common.oidc.errors import ProviderUnavailable

STATES = "oidc_states"


def only_when(enabled: Callable[[], bool]):
    """A view that answers 404 while ``enabled()`` is false: a federation not configured
    (or a simulated provider not allowed) has no door at all."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not enabled():
                raise Http404
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


class AuthorizationStartView(OIDCAuthenticationRequestView):
    """The button: to the provider with a fresh state and nonce.

    POST only (the button sits in a form with its CSRF token): a link followed by a
    prefetch or another site must not start a login. Subclasses say which provider
    (``provider_config``), what to ask (``SETTINGS``: scopes and the callback's URL name;
    ``get_extra_params``) and what to show when it is away (``unavailable``).
    """

    http_method_names = ["post"]
    SETTINGS: dict = {}

    def __init__(self, **kwargs):
        # The parent reads the endpoint from settings; ours comes per request (discovery).
        View.__init__(self, **kwargs)

    def get_settings(self, attr, *args):
        if attr in self.SETTINGS:
            return self.SETTINGS[attr]
        return super().get_settings(attr, *args)

    def provider_config(self, request) -> ProviderConfig:
        raise NotImplementedError

    def unavailable(self, request, error: ProviderUnavailable) -> HttpResponse:
        raise NotImplementedError

    def post(self, request):
        try:
            config = self.provider_config(request)
        except ProviderUnavailable as error:
            return self.unavailable(request, error)
        self.OIDC_OP_AUTH_ENDPOINT = config.authorization_endpoint
        self.OIDC_RP_CLIENT_ID = config.client_id
        response = self.get(request)
        next_url = request.POST.get("next", "")
        safe = url_has_allowed_host_and_scheme(
            next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        )
        next_store(request.session, response["Location"], next_url if safe else "")
        return response


def next_store(session, authorization_url: str, next_url: str) -> None:
    """Keep ``next_url`` (already checked as ours) with the state just sent in
    ``authorization_url``; the callback pops both together."""
    state = parse_qs(urlsplit(authorization_url).query).get("state", [""])[0]
    states = session.get(STATES)
    if isinstance(states, dict) and isinstance(states.get(state), dict):
        states[state]["next"] = next_url
        session[STATES] = states


def flow_pop(request) -> dict | None:
    """The attempt (nonce, next) of the state the provider sent back, taken out of the
    session so that the same answer replayed finds nothing; None for an unknown state."""
    state = request.GET.get("state", "")
    states = request.session.get(STATES)
    flow = states.pop(state, None) if isinstance(states, dict) and state else None
    if flow is not None:
        request.session[STATES] = states
    return flow if isinstance(flow, dict) else None
