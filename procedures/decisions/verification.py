"""What the public page ``/verifier/<code>/`` says about a document: nothing more than a
police officer at a windscreen needs (valid or « révoqué », title, date, initials)."""

from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.urls import reverse

from procedures.models import DecisionDocument, DecisionOutcome, RequestState

# The states in which a document of each outcome still stands: a request accepted then
# cancelled (its account closed) or otherwise undone revokes it.
STANDS_IN = {
    DecisionOutcome.ACCEPTANCE: {RequestState.ACCEPTED, RequestState.DONE},
    DecisionOutcome.IMPLICIT_ACCEPTANCE: {RequestState.ACCEPTED, RequestState.DONE},
    DecisionOutcome.REFUSAL: {RequestState.REFUSED},
}
# A code is token_urlsafe(24): 32 characters of [A-Za-z0-9_-]. Anything else is unknown
# without a query.
CODE_LENGTH = 32
CODE_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


@dataclass(frozen=True)
class Verification:
    valid: bool
    title: str
    decided_on: date
    initials: str


def verification_url(document: DecisionDocument) -> str:
    return settings.SITE_URL + reverse("procedures:verify", args=[document.verification_code])


def initials(name: str) -> str:
    """« Léa Martin-Durand » → « L. M. »: enough to match a person, not to name them."""
    words = [word for word in name.replace("-", " ").split() if word[:1].isalpha()]
    return " ".join(f"{word[0].upper()}." for word in words[:3])


def is_valid(document: DecisionDocument) -> bool:
    return document.request.state in STANDS_IN.get(document.outcome, set())


def document_verify(*, code: str) -> Verification | None:
    if len(code) != CODE_LENGTH or not set(code) <= CODE_ALPHABET:
        return None
    document = (
        DecisionDocument.objects.select_related("request")
        .only("title", "decided_on", "holder_name", "outcome", "request__state")
        .filter(verification_code=code)
        .first()
    )
    if document is None:
        return None
    return Verification(
        valid=is_valid(document),
        title=document.title,
        decided_on=document.decided_on,
        initials=initials(document.holder_name),
    )
