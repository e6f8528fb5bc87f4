"""The provider's end-session request: where the browser goes after the portal's logout."""

from urllib.parse import urlencode

from django.utils.crypto import get_random_string

from common.oidc.config import ProviderConfig


def end_session_url(
    config: ProviderConfig, *, id_token: str, post_logout_redirect_uri: str
) -> tuple[str, str]:
    """(URL, state) of the provider's logout for the session of ``id_token``; the state
    comes back with the browser and is checked against the one kept in the session."""
    state = get_random_string(32)
    query = urlencode(
        {
            "id_token_hint": id_token,
            "state": state,
            "post_logout_redirect_uri": post_logout_redirect_uri,
        }
    )
    return f"{config.end_session_endpoint}?{query}", state
