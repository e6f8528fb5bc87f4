"""The ANTS coordination API (« dédoublonnage »): every HTTP call to it, in one module.

``GET /status?application_ids=…`` says, for each pre-application number, its status
(``validated``, ``consumed``, ``unknown``, ``expired``, ``declared``) and the
appointments other towns declared; ``POST /appointments`` and ``DELETE /appointments``
declare and withdraw ours (query parameters, as the ANTS documents them). Each call
has a timeout (ANTS_TIMEOUT_SECONDS); a timeout, a refusal or an answer that is not
the documented JSON is ``AntsUnavailable``, never an error page.
"""

from dataclasses import dataclass, field

import requests
from django.conf import settings
from django.urls import reverse

AUTH_HEADER = "x-rdv-opt-auth-token"


class AntsUnavailable(Exception):
    """The ANTS did not answer, refused, or answered something unreadable."""


@dataclass(frozen=True)
class ApplicationStatus:
    number: str
    status: str
    appointments: list[dict] = field(default_factory=list)


def base_url() -> str:
    """The real API, the simulated one under DEBUG, or "" (no check at all)."""
    if settings.ANTS_API_URL:
        return settings.ANTS_API_URL
    if settings.ANTS_SIMULATED:
        return settings.SITE_URL + reverse("ants:simulated_root").rstrip("/")
    return ""


def enabled() -> bool:
    return bool(base_url())


def headers() -> dict:
    return {"Accept": "application/json", AUTH_HEADER: settings.ANTS_API_TOKEN}


def call(method: str, path: str, params) -> object:
    url = base_url()
    if not url:
        raise AntsUnavailable("ANTS non configurée")
    try:
        response = requests.request(
            method,
            url + path,
            params=params,
            headers=headers(),
            timeout=settings.ANTS_TIMEOUT_SECONDS,
        )
    except requests.RequestException as error:
        raise AntsUnavailable(f"{type(error).__name__}: {error}") from error
    if not response.ok:
        raise AntsUnavailable(f"HTTP {response.status_code}: {response.text[:500]}")
    try:
        return response.json()
    except ValueError as error:
        raise AntsUnavailable(f"réponse illisible : {response.text[:200]!r}") from error


def appointment_of(raw) -> dict:
    if not isinstance(raw, dict):
        raise AntsUnavailable(f"rendez-vous illisible : {raw!r}"[:300])
    return {
        "meeting_point": str(raw.get("meeting_point", "")),
        "appointment_date": str(raw.get("appointment_date", "")),
        "management_url": str(raw.get("management_url", "")),
    }


def status(numbers: list[str]) -> dict[str, ApplicationStatus]:
    """The status of each number; AntsUnavailable if one is missing from the answer."""
    body = call("GET", "/status", [("application_ids", number) for number in numbers])
    if not isinstance(body, dict):
        raise AntsUnavailable(f"réponse inattendue : {body!r}"[:300])
    found = {}
    for number in numbers:
        entry = body.get(number)
        if not isinstance(entry, dict) or not isinstance(entry.get("status"), str):
            raise AntsUnavailable(f"statut absent pour {number}")
        appointments = entry.get("appointments") or []
        if not isinstance(appointments, list):
            raise AntsUnavailable(f"rendez-vous illisibles pour {number}")
        found[number] = ApplicationStatus(
            number, entry["status"], [appointment_of(raw) for raw in appointments]
        )
    return found


def appointment_declare(params: dict) -> None:
    call("POST", "/appointments", params)


def appointment_delete(params: dict) -> None:
    call("DELETE", "/appointments", params)
