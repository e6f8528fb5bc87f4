"""A login made through an identity federation (FranceConnect) ends there too.

At login the federation's app leaves in the session where the citizen goes after the
portal's logout, and what the next session must hold to check the way back (a state).
The logout view follows it; this app knows no federation, the federation knows it.
"""

SESSION_KEY = "logout_elsewhere"


def remember(session, *, url: str, keep: dict[str, str]) -> None:
    session[SESSION_KEY] = {"url": url, "keep": keep}


def take(session) -> tuple[str, dict[str, str]] | None:
    """(URL, values for the next session) left at login, or None for a portal login."""
    elsewhere = session.get(SESSION_KEY)
    if not isinstance(elsewhere, dict) or not elsewhere.get("url"):
        return None
    return elsewhere["url"], dict(elsewhere.get("keep") or {})
