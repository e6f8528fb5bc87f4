"""What an appointment tells its citizen, through the outbox: confirmation (with the
``.ics``), move, cancellation, and the reminder the day before."""

from datetime import UTC, datetime, time, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from appointments.models import Booking
from appointments.words import moment_in_words
from notifications.models import MessageKind
from notifications.services import message_queue, messages_withdraw_pending
from notifications.topics import appointment_topic

ICS_BUILDER = "appointment-ics"


def manage_url(token: str) -> str:
    return settings.SITE_URL + reverse("appointments:manage", args=[token])


def context_for(booking: Booking, *, token: str = "", message: str = "") -> dict:
    return {
        "booking": booking,
        "agenda": booking.agenda,
        "place": booking.agenda.place,
        "when": moment_in_words(booking.starts_at),
        "applications": [str(number) for number in booking.applications.all()],
        "manage_url": manage_url(token) if token else "",
        "follow_url": manage_url(token) if token else "",
        "cancel_message": message,
    }


def reminder_key(booking: Booking) -> str:
    start = booking.starts_at.astimezone(UTC)
    return f"{appointment_topic(booking.pk)}:reminder:{start:%Y%m%dT%H%MZ}"


def reminder_time(booking: Booking) -> datetime:
    """The day before, at REMINDER_HOUR on the Paris clock."""
    day = timezone.localtime(booking.starts_at).date() - timedelta(days=1)
    return timezone.make_aware(datetime.combine(day, time(settings.REMINDER_HOUR)))


def queue(booking: Booking, template: str, kind, context: dict, **extra):
    return message_queue(
        kind=kind,
        template=template,
        context=context,
        to_email=booking.email,
        account=booking.account,
        topic=appointment_topic(booking.pk),
        **extra,
    )


def reminder_schedule(booking: Booking, context: dict) -> None:
    """No reminder for an appointment too close for one to make sense."""
    moment = reminder_time(booking)
    if moment <= timezone.now():
        return
    queue(
        booking,
        "appointment_reminder",
        MessageKind.REMINDER,
        context,
        send_after=moment,
        dedupe_key=reminder_key(booking),
    )


def booking_confirmed(booking: Booking, *, token: str) -> None:
    context = context_for(booking, token=token)
    queue(
        booking,
        "appointment_confirmed",
        MessageKind.ACKNOWLEDGEMENT,
        context,
        attachment=("rendez-vous.ics", ICS_BUILDER, booking.pk),
    )
    reminder_schedule(booking, context)


def booking_moved(booking: Booking, *, token: str, old_key: str) -> None:
    messages_withdraw_pending(dedupe_keys=[old_key])
    context = context_for(booking, token=token)
    queue(
        booking,
        "appointment_moved",
        MessageKind.INFORMATION,
        context,
        attachment=("rendez-vous.ics", ICS_BUILDER, booking.pk),
    )
    reminder_schedule(booking, context)


def booking_cancelled(booking: Booking, *, message: str = "", by_staff: bool = False) -> None:
    messages_withdraw_pending(dedupe_keys=[reminder_key(booking)])
    context = context_for(booking, message=message) | {"by_staff": by_staff}
    queue(booking, "appointment_cancelled", MessageKind.INFORMATION, context)


def booking_link(booking: Booking, *, token: str) -> None:
    """The new link, and the reminder rewritten with it."""
    messages_withdraw_pending(dedupe_keys=[reminder_key(booking)])
    context = context_for(booking, token=token)
    queue(booking, "appointment_link", MessageKind.INFORMATION, context)
    reminder_schedule(booking, context)
