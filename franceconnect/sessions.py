"""What the FranceConnect views keep in the citizen's session, under one name each.

mozilla-django-oidc keeps ``oidc_states`` (state → nonce); we add to each state the page
to return to (``next``), so that every login attempt carries its own.
"""

import time
from urllib.parse import parse_qs, urlsplit

from franceconnect.identity import CertifiedIdentity

# A first visit waiting on the completion page: the identity, the client id, when.
PENDING = "franceconnect_pending"
# The state sent with the end-session request, checked when FranceConnect sends us back.
LOGOUT_STATE = "franceconnect_logout_state"
# The completion page waits this long; then FranceConnect is asked again.
PENDING_LIFETIME_SECONDS = 15 * 60


def pending_store(session, *, identity: CertifiedIdentity, client_id: str, id_token: str):
    session[PENDING] = {
        "identity": identity.as_dict(),
        "client_id": client_id,
        "id_token": id_token,
        "at": time.time(),
    }


def pending_read(session) -> tuple[CertifiedIdentity, str, str] | None:
    """(identity, client id, ID token) of a first visit not older than its lifetime."""
    pending = session.get(PENDING)
    if not isinstance(pending, dict):
        return None
    if time.time() - pending.get("at", 0) > PENDING_LIFETIME_SECONDS:
        session.pop(PENDING, None)
        return None
    return CertifiedIdentity(**pending["identity"]), pending["client_id"], pending["id_token"]


def next_store(session, authorization_url: str, next_url: str) -> None:
    """Keep ``next_url`` (already checked as ours) with the state just sent in
    ``authorization_url``; the callback pops both together."""
    state = parse_qs(urlsplit(authorization_url).query).get("state", [""])[0]
    states = session.get("oidc_states")
    if isinstance(states, dict) and isinstance(states.get(state), dict):
        states[state]["next"] = next_url
        session["oidc_states"] = states
