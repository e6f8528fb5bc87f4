"""The appointment as an iCalendar event (RFC 5545), attached to the confirmation mail.

Times are written in UTC (``DTSTART:20260328T080000Z``): every calendar shows them on
its own clock, and no VTIMEZONE block is needed for the change to summer time.
"""

from datetime import UTC

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from appointments.models import Booking

PRODUCT = "-//Votre espace citoyen//Rendez-vous//FR"
MIME_TYPE = "text/calendar"
FILE_NAME = "rendez-vous.ics"


def booking_uid(booking: Booking) -> str:
    """Stable across moves: a calendar replaces the event instead of adding one."""
    domain = settings.SITE_URL.split("//")[-1].split("/")[0].split(":")[0] or "localhost"
    return f"rendez-vous-{booking.pk}@{domain}"


def booking_ics(booking: Booking) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODUCT)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", timezone.now().astimezone(UTC))
    event.add("dtstart", booking.starts_at.astimezone(UTC))
    event.add("dtend", booking.ends_at.astimezone(UTC))
    event.add("summary", f"Rendez-vous : {booking.agenda.title}")
    event.add("location", f"{booking.agenda.place.name}, {booking.agenda.place.full_address}")
    description = booking.agenda.what_to_bring or ""
    if description:
        event.add("description", f"À apporter : {description}")
    if booking.state == Booking.State.CANCELLED:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    calendar.add_component(event)
    return calendar.to_ical()


def booking_attachment(pk: int) -> tuple[str, bytes, str]:
    """The builder registered as ``appointment-ics`` (notifications.attachments)."""
    booking = Booking.objects.select_related("agenda__place").get(pk=pk)
    return FILE_NAME, booking_ics(booking), MIME_TYPE
