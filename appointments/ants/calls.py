"""Declarations and deletions owed to the ANTS: a row first, the HTTP call after.

``declare`` and ``delete`` write ``AntsCall`` rows in the booking's transaction and
queue the worker on commit; the citizen's page never waits on the ANTS. ``calls_push``
(the worker, and beat every minute) sends what is due, one call at a time per number
in the order written (a deletion never overtakes its declaration), and on failure
tries again later with a growing delay, without end: a declaration is never lost.
"""

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import F
from django.urls import reverse
from django.utils import timezone

from appointments.ants import client
from appointments.models import AntsCall, Booking
from common.queueing import enqueue_on_commit

log = logging.getLogger(__name__)

BATCH = 200
MAX_DELAY = timedelta(hours=6)


def meeting_point_params(booking: Booking) -> dict:
    """The ANTS's fields of one appointment (appointment_date on the Paris clock)."""
    place = booking.agenda.place
    return {
        "meeting_point": place.name,
        "meeting_point_id": str(place.pk),
        "appointment_date": timezone.localtime(booking.starts_at).strftime("%Y-%m-%dT%H:%M:%S"),
    }


def management_url(booking: Booking) -> str:
    """Where the ANTS sends a citizen to manage the appointment: the page that mails the
    link again. The link itself carries the token, which only the citizen's mail holds."""
    return settings.SITE_URL + reverse("appointments:lost_link") + f"?rendez-vous={booking.pk}"


def queue_push() -> None:
    from appointments import tasks

    enqueue_on_commit(tasks.push_ants_calls)


def declare(booking: Booking, *, token: str = "") -> list[AntsCall]:
    base = meeting_point_params(booking) | {"management_url": management_url(booking)}
    calls = AntsCall.objects.bulk_create(
        [
            AntsCall(
                action=AntsCall.Action.DECLARE,
                application_id=number.number,
                params={"application_id": number.number, **base},
            )
            for number in booking.applications.all()
        ]
    )
    queue_push()
    return calls


def delete(booking: Booking) -> list[AntsCall]:
    """A declaration still waiting is simply dropped; a sent one is withdrawn."""
    base = meeting_point_params(booking)
    created = []
    for number in booking.applications.all():
        params = {"application_id": number.number, **base}
        waiting = AntsCall.objects.filter(
            action=AntsCall.Action.DECLARE,
            application_id=number.number,
            done_at=None,
            attempts=0,
            params__appointment_date=base["appointment_date"],
            params__meeting_point_id=base["meeting_point_id"],
        ).update(done_at=timezone.now(), last_error="Annulé avant l'envoi.")
        if waiting:
            continue
        created.append(
            AntsCall.objects.create(
                action=AntsCall.Action.DELETE, application_id=number.number, params=params
            )
        )
    queue_push()
    return created


def retry_delay(attempts: int) -> timedelta:
    """1, 2, 4… minutes, at most six hours."""
    return min(timedelta(minutes=2 ** max(attempts - 1, 0)), MAX_DELAY)


def claim(call: AntsCall, now: datetime) -> bool:
    """Take the row for one sending: another worker holds it for the call's timeout."""
    hold = timedelta(seconds=2 * settings.ANTS_TIMEOUT_SECONDS + 30)
    return (
        AntsCall.objects.filter(pk=call.pk, done_at=None, next_attempt_at__lte=now).update(
            next_attempt_at=now + hold, attempts=F("attempts") + 1
        )
        == 1
    )


def call_send(call: AntsCall) -> None:
    if call.action == AntsCall.Action.DECLARE:
        client.appointment_declare(call.params)
    else:
        client.appointment_delete(call.params)


def calls_push(*, now: datetime | None = None) -> dict[str, int]:
    """Send what is due; returns how many were accepted and how many wait again."""
    now = now or timezone.now()
    outcome = {"sent": 0, "retry": 0}
    if not client.enabled():
        return outcome
    due = list(AntsCall.objects.filter(done_at=None, next_attempt_at__lte=now)[:BATCH])
    blocked: set[str] = set()
    for call in due:
        earlier = AntsCall.objects.filter(
            application_id=call.application_id, done_at=None, pk__lt=call.pk
        ).exists()
        if call.application_id in blocked or earlier or not claim(call, now):
            continue
        try:
            call_send(call)
        except client.AntsUnavailable as error:
            blocked.add(call.application_id)
            attempts = call.attempts + 1
            AntsCall.objects.filter(pk=call.pk).update(
                next_attempt_at=timezone.now() + retry_delay(attempts), last_error=str(error)
            )
            log.warning("ANTS %s %s failed: %s", call.action, call.application_id, error)
            outcome["retry"] += 1
            continue
        AntsCall.objects.filter(pk=call.pk).update(done_at=timezone.now(), last_error="")
        outcome["sent"] += 1
    return outcome
