"""The pre-application numbers checked with the ANTS before a booking: what the citizen
reads beside the field when a number cannot be booked."""

import logging
import re
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from appointments.ants import client

log = logging.getLogger(__name__)

NUMBER_RE = re.compile(r"^[A-Z0-9]{10}$")
VALIDATED = "validated"

STATUS_MESSAGES = {
    "unknown": _(
        "Le numéro %(number)s n'est pas reconnu par l'ANTS : vérifiez-le sur le récapitulatif "
        "de votre pré-demande."
    ),
    "consumed": _(
        "Le numéro %(number)s correspond à un dossier déjà déposé en mairie : il ne peut plus "
        "servir à prendre rendez-vous."
    ),
    "expired": _(
        "Le numéro %(number)s correspond à une pré-demande expirée : faites une nouvelle "
        "pré-demande sur ants.gouv.fr."
    ),
    "declared": _(
        "Le numéro %(number)s n'est pas encore reconnu officiellement par l'ANTS : réessayez "
        "plus tard."
    ),
}
UNKNOWN_STATUS = _("Le numéro %(number)s ne peut pas être utilisé (statut ANTS : %(status)s).")
BOOKED_ELSEWHERE = _(
    "Le numéro %(number)s a déjà un rendez-vous : %(where)s. Annulez-le avant d'en prendre "
    "un autre."
)


def normalize(raw: str) -> str:
    return re.sub(r"[\s\-]", "", raw).upper()


@dataclass(frozen=True)
class CheckResult:
    problems: dict[str, str]  # number → message
    unverified: bool  # the ANTS did not answer: booked, checked at the counter


def where(appointment: dict) -> str:
    place = appointment["meeting_point"] or str(_("une autre mairie"))
    moment = appointment["appointment_date"].replace("T", " à ")[:19]
    return f"{place}, le {moment}" if moment else place


def numbers_check(numbers: list[str]) -> CheckResult:
    """Ask the ANTS about every number in one call; its silence does not block the
    citizen (the booking is flagged « non vérifié » for the clerk)."""
    if not client.enabled():
        return CheckResult({}, unverified=True)
    try:
        statuses = client.status(numbers)
    except client.AntsUnavailable as error:
        log.warning("ANTS status check failed: %s", error)
        return CheckResult({}, unverified=True)
    problems = {}
    for number, found in statuses.items():
        if found.status != VALIDATED:
            template = STATUS_MESSAGES.get(found.status, UNKNOWN_STATUS)
            problems[number] = str(template) % {"number": number, "status": found.status}
        elif found.appointments:
            places = "; ".join(where(appointment) for appointment in found.appointments)
            problems[number] = str(BOOKED_ELSEWHERE) % {"number": number, "where": places}
    return CheckResult(problems, unverified=False)
