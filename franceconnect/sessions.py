"""What the FranceConnect views keep in the citizen's session, under one name each
(each attempt's state, nonce and page to return to: ``common.oidc.start``)."""

import time

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
