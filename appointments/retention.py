"""What « Données personnelles » promises for appointments: kept APPOINTMENT_RETENTION_DAYS
after their date (purge), in the archive « Télécharger mes données », gone at closure."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from appointments import services
from appointments.models import AntsCall, Booking, SlotCounter
from appointments.words import moment_in_words
from notifications.services import messages_delete_about
from notifications.topics import appointment_topic


def stale_bookings(*, now: datetime | None = None):
    limit = (now or timezone.now()) - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    return Booking.objects.filter(starts_at__lt=limit)


@transaction.atomic
def bookings_purge(*, now: datetime | None = None) -> int:
    """The bookings past their period, their messages, and the counters of their days."""
    stale = stale_bookings(now=now)
    pks = list(stale.values_list("pk", flat=True))
    messages_delete_about(topics=[appointment_topic(pk) for pk in pks])
    limit = (now or timezone.now()) - timedelta(days=settings.APPOINTMENT_RETENTION_DAYS)
    SlotCounter.objects.filter(starts_at__lt=limit).delete()
    # Accepted by the ANTS long ago; one still owed is kept until it is accepted.
    AntsCall.objects.filter(done_at__lt=limit).delete()
    return Booking.objects.filter(pk__in=pks).delete()[0]


def bookings_of_account(account: User):
    return (
        Booking.objects.for_account(account)
        .select_related("agenda__place")
        .prefetch_related("applications")
        .order_by("starts_at")
    )


def bookings_archive(account: User) -> list[dict]:
    """The account's appointments as « Télécharger mes données » lists them."""
    return [
        {
            "rendez_vous": booking.agenda.title,
            "lieu": f"{booking.agenda.place.name}, {booking.agenda.place.full_address}",
            "date": moment_in_words(booking.starts_at),
            "etat": booking.get_state_display(),
            "personnes": booking.people,
            "nom": booking.full_name,
            "adresse_electronique": booking.email,
            "telephone": booking.phone,
            "numeros_de_pre_demande": [str(number) for number in booking.applications.all()],
            "reserve_le": timezone.localtime(booking.created_at).isoformat(),
        }
        for booking in bookings_of_account(account)
    ]


def upcoming_for_closure(account: User) -> list[str]:
    """What the closure cancels, in the words of its mail."""
    return [
        f"Rendez-vous — {booking.agenda.title}, {moment_in_words(booking.starts_at)}"
        for booking in Booking.objects.for_account(account)
        .upcoming()
        .select_related("agenda__place")
    ]


def bookings_shred(*, account: User) -> int:
    """At the account's closure: the appointments to come are cancelled (their desks
    freed, the ANTS told), then every booking of the account is deleted. Called inside
    the closure's transaction; no cancellation mail (the closure's mail lists them)."""
    for booking in (
        Booking.objects.for_account(account).upcoming().filter(state=Booking.State.BOOKED)
    ):
        services.booking_cancel(booking=booking, by=account, notify_citizen=False, force=True)
    bookings = Booking.objects.for_account(account)
    topics = [appointment_topic(pk) for pk in bookings.values_list("pk", flat=True)]
    messages_delete_about(topics=topics)
    return bookings.delete()[0]
