"""Certificate requests without an account: their submission and their tracking code.

Whoever holds the tracking code follows the request: the code is the only key,
so it is long enough not to be guessed (16 characters of a 31-letter alphabet,
about 79 bits) and written in groups without the characters one confuses when
reading it out (0/O, 1/I/L).
"""

import re
import secrets
from collections.abc import Mapping
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures.civil_status import answers_from, legal_problems
from procedures.models import Certificate, Procedure, Request, RequestState
from procedures.numbering import next_request_number
from procedures.services import RequestError, record

TRACKING_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
TRACKING_GROUPS = 4
TRACKING_GROUP_SIZE = 4
TRACKING_LENGTH = TRACKING_GROUPS * TRACKING_GROUP_SIZE
SEPARATORS_RE = re.compile(r"[\s\-]+")


def new_tracking_code() -> str:
    """« K7MX-3PQA-9RTE-WH4C »: random, grouped by four to be read out."""
    text = "".join(secrets.choice(TRACKING_ALPHABET) for _ in range(TRACKING_LENGTH))
    return format_tracking_code(text)


def format_tracking_code(text: str) -> str:
    size = TRACKING_GROUP_SIZE
    return "-".join(text[i : i + size] for i in range(0, len(text), size))


def normalize_tracking_code(raw: str) -> str | None:
    """The stored form of a code typed in any case, with or without dashes; None if it is none."""
    text = SEPARATORS_RE.sub("", raw).upper()
    if len(text) != TRACKING_LENGTH or any(char not in TRACKING_ALPHABET for char in text):
        return None
    return format_tracking_code(text)


def unused_tracking_code() -> str:
    # A clash is all but impossible at 79 bits; the unique constraint is the last guard.
    while True:
        code = new_tracking_code()
        if not Request.objects.filter(tracking_code=code).exists():
            return code


def procedures_without_account() -> QuerySet[Procedure]:
    """The published certificate requests that anyone may make without logging in.

    Each names its register in ``Procedure.certificate``, never in its address: renaming
    the address keeps the procedure open."""
    return (
        Procedure.objects.published()
        .filter(account_required=False, kind=Procedure.Kind.CIVIL_STATUS)
        .exclude(certificate="")
        .select_related("theme")
        .order_by("order", "title")
    )


def procedure_without_account(*, slug: str) -> Procedure | None:
    return procedures_without_account().filter(slug=slug).first()


def tracked_request(*, code: str) -> Request | None:
    """The request that a tracking link names, with what its page shows; None if unknown."""
    normalized = normalize_tracking_code(code)
    if normalized is None:
        return None
    return (
        Request.objects.submitted()
        .filter(account__isnull=True, tracking_code=normalized)
        .select_related("procedure__theme")
        .prefetch_related("events")
        .first()
    )


@transaction.atomic
def civil_status_request_submit(*, procedure: Procedure, data: Mapping[str, Any]) -> Request:
    """« Envoyer ma demande » without an account: a number, a tracking code, « Reçue »."""
    certificate = procedure.certificate
    if (
        not certificate
        or not procedure.published
        or procedure.account_required
        or procedure.kind != Procedure.Kind.CIVIL_STATUS
    ):
        raise RequestError(_("Cette démarche n'est pas accessible sans compte."))
    problems = legal_problems(certificate=certificate, data=data)
    if problems:
        raise RequestError(next(iter(problems.values())))
    answers = answers_from(data, certificate=certificate)
    born = (
        data["event_date"] if certificate == Certificate.BIRTH else data.get("subject_birth_date")
    )
    citizen_request = Request(
        procedure=procedure,
        account=None,
        subject_name=f"{data['subject_first_names']} {data['subject_last_name']}",
        subject_birth_date=born,
        address=answers["adresse_envoi"],
        contact_email=data["email"],
        answers=answers,
        tracking_code=unused_tracking_code(),
    )
    citizen_request.submit()
    citizen_request.number = next_request_number(timezone.localdate().year)
    citizen_request.save()
    record(citizen_request, actor=None, transition="submit", from_state=RequestState.DRAFT)
    return citizen_request
