"""Logging out of both: the portal, then FranceConnect's end-session endpoint."""

import logging
from urllib.parse import urlencode

from django.urls import reverse
from django.utils.crypto import get_random_string

from franceconnect import sessions
from franceconnect.config import is_enabled, provider_config
from franceconnect.errors import ProviderUnavailable

log = logging.getLogger(__name__)


def end_session_url(request) -> tuple[str, str] | None:
    """(URL, state) of FranceConnect's logout for a session it opened, or None.

    Read before the portal's logout, which empties the session; the caller keeps the
    state in the new session for ``views.logged_out``.
    """
    id_token = request.session.get(sessions.ID_TOKEN)
    if not id_token or not is_enabled():
        return None
    try:
        config = provider_config(request)
    except ProviderUnavailable as error:
        # The portal's session ends anyway; FranceConnect's will expire on its own.
        log.warning("franceconnect: logout without end-session (%s)", error)
        return None
    state = get_random_string(32)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": request.build_absolute_uri(
                reverse("franceconnect:logged_out")
            ),
        }
    )
    return f"{config.end_session_endpoint}?{query}", state
