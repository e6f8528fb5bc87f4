"""Logging out of both: the portal, then FranceConnect's end-session endpoint.

The URL is built at login and left for the portal's logout view (``accounts.logout_elsewhere``),
so that accounts, below this app, never asks it anything."""

import logging

from django.urls import reverse

from accounts import logout_elsewhere
from common.oidc import logout as oidc_logout
from common.oidc.errors import ProviderUnavailable
from franceconnect import sessions
from franceconnect.config import is_enabled, provider_config

log = logging.getLogger(__name__)


def remember(request, id_token: str) -> None:
    """Leave FranceConnect's logout in the session just opened with ``id_token``."""
    end_session = end_session_url(request, id_token)
    if end_session is not None:
        url, state = end_session
        logout_elsewhere.remember(request.session, url=url, keep={sessions.LOGOUT_STATE: state})


def end_session_url(request, id_token: str) -> tuple[str, str] | None:
    """(URL, state) of FranceConnect's logout for the session of ``id_token``, or None.

    The portal's logout keeps the state in the new session for ``views.logged_out``.
    """
    if not id_token or not is_enabled():
        return None
    try:
        config = provider_config(request)
    except ProviderUnavailable as error:
        # The portal's session ends anyway; FranceConnect's will expire on its own.
        log.warning("franceconnect: logout without end-session (%s)", error)
        return None
    return oidc_logout.end_session_url(
        config,
        id_token=id_token,
        post_logout_redirect_uri=request.build_absolute_uri(reverse("franceconnect:logged_out")),
    )
