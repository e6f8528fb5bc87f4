"""How django-axes recognises the identifier of an attempt."""

from accounts.identifiers import normalize_identifier


def attempted_identifier(request, credentials=None) -> str | None:
    """The identifier, normalised: « ABC » and « abc  » must count as the same account."""
    raw = (credentials or {}).get("username")
    if raw is None and request is not None:
        raw = request.POST.get("username") or request.POST.get("identifier")
    return normalize_identifier(raw) if raw else None
