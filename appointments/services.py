"""Booking, moving, cancelling an appointment, and the clerk's « Présent » / « Absent ».

The race these services prevent: two citizens (or a citizen and a clerk) take the last
desk of a slot at the same moment. Each booking locks the slot's counter row
(``SlotCounter``, created if missing by an INSERT … ON CONFLICT DO NOTHING, then
``select_for_update``) before reading how many desks are taken: the second waits for
the first to commit, then sees the slot full. Counters of an appointment of several
slots are locked in time order, so two such bookings never wait for each other in a
circle. A cancellation decrements the same rows in the same transaction: the place is
free at once.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from appointments import notify, slots
from appointments.ants import calls as ants_calls
from appointments.models import MAX_PEOPLE, Agenda, ApplicationNumber, Booking, SlotCounter
from appointments.tokens import new_token, token_hash
from appointments.words import moment_in_words
from notifications.services import messages_withdraw_pending

SLOT_TAKEN = "Ce créneau vient d'être réservé"


class BookingError(Exception):
    """Why the booking is refused, in French for the citizen."""


class SlotTaken(BookingError):
    """The slot was free when shown and is full now: the page offers the next ones."""

    def __init__(self):
        super().__init__(_(SLOT_TAKEN) + ".")


@dataclass(frozen=True)
class Contact:
    first_name: str
    last_name: str
    email: str
    phone: str = ""


def slot_starts(agenda: Agenda, starts_at: datetime, count: int) -> list[datetime]:
    return [starts_at + index * agenda.slot_length for index in range(count)]


def counters_lock(agenda: Agenda, starts: Sequence[datetime]) -> list[SlotCounter]:
    """The slots' counters, created if missing, locked in time order."""
    SlotCounter.objects.bulk_create(
        [SlotCounter(agenda=agenda, starts_at=start) for start in starts], ignore_conflicts=True
    )
    return list(
        SlotCounter.objects.select_for_update()
        .filter(agenda=agenda, starts_at__in=list(starts))
        .order_by("starts_at")
    )


def counters_take(agenda: Agenda, starts: Sequence[datetime]) -> None:
    """Take one desk on each slot, or SlotTaken; the locks are held until commit."""
    counters = counters_lock(agenda, starts)
    if len(counters) != len(starts) or any(c.taken >= agenda.desks for c in counters):
        raise SlotTaken
    SlotCounter.objects.filter(pk__in=[c.pk for c in counters]).update(taken=F("taken") + 1)


def counters_release(agenda: Agenda, starts: Sequence[datetime]) -> None:
    counters = list(
        SlotCounter.objects.select_for_update()
        .filter(agenda=agenda, starts_at__in=list(starts), taken__gt=0)
        .order_by("starts_at")
    )
    SlotCounter.objects.filter(pk__in=[c.pk for c in counters]).update(taken=F("taken") - 1)


def holder_has_future_booking(
    agenda: Agenda, *, email: str, account: User | None, now: datetime, exclude_pk=None
) -> bool:
    same_person = Q(email__iexact=email)
    if account is not None:
        same_person |= Q(account=account)
    return (
        Booking.objects.upcoming(now)
        .filter(same_person, agenda=agenda)
        .exclude(pk=exclude_pk)
        .exists()
    )


def check_bookable(agenda: Agenda, starts_at: datetime, *, people: int, now: datetime) -> None:
    if not agenda.published:
        raise BookingError(_("Cet agenda n'est pas ouvert à la réservation."))
    if not 1 <= people <= (MAX_PEOPLE if agenda.is_identity else 1):
        raise BookingError(_("Le nombre de personnes n'est pas possible pour cet agenda."))
    fresh = slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get()
    day = timezone.localtime(starts_at).date()
    # Whether the slot is open, its desks aside (taken={}): the locked counters decide those.
    [day_slots] = slots.agenda_days(fresh, first=day, last=day, people=people, now=now, taken={})
    if starts_at not in day_slots.starts:
        raise BookingError(
            _("Ce créneau n'est pas proposé à la réservation (jour fermé, délai ou horizon).")
        )


@transaction.atomic
def booking_create(
    *,
    agenda: Agenda,
    starts_at: datetime,
    contact: Contact,
    people: int = 1,
    applications: Sequence[str] = (),
    account: User | None = None,
    by: User | None = None,
    ants_unverified: bool = False,
    now: datetime | None = None,
) -> tuple[Booking, str]:
    """Book ``starts_at`` for ``people``; returns the booking and its management token
    (the only time the token exists in clear: the mail and the redirect carry it)."""
    now = now or timezone.now()
    check_bookable(agenda, starts_at, people=people, now=now)
    if agenda.is_identity and len(applications) != people:
        raise BookingError(_("Indiquez un numéro de pré-demande par personne."))
    if agenda.one_future_per_person and holder_has_future_booking(
        agenda, email=contact.email, account=account, now=now
    ):
        raise BookingError(
            _(
                "Vous avez déjà un rendez-vous à venir pour « %(agenda)s » : annulez-le ou "
                "déplacez-le depuis le lien reçu par mail, ou depuis « Accueil »."
            )
            % {"agenda": agenda.title}
        )
    count = slots.slots_needed(agenda, people)
    starts = slot_starts(agenda, starts_at, count)
    counters_take(agenda, starts)
    token = new_token()
    booking = Booking.objects.create(
        agenda=agenda,
        starts_at=starts_at,
        ends_at=starts_at + count * agenda.slot_length,
        slot_count=count,
        people=people,
        account=account,
        first_name=contact.first_name,
        last_name=contact.last_name,
        email=contact.email,
        phone=contact.phone,
        token_hash=token_hash(token),
        booked_by=by,
        created_at=now,
        ants_unverified=ants_unverified,
    )
    ApplicationNumber.objects.bulk_create(
        [ApplicationNumber(booking=booking, number=number) for number in applications]
    )
    if agenda.is_identity:
        ants_calls.declare(booking, token=token)
    notify.booking_confirmed(booking, token=token)
    return booking, token


def booking_for_token(token: str) -> Booking | None:
    return (
        Booking.objects.filter(token_hash=token_hash(token))
        .select_related("agenda__place")
        .prefetch_related("applications")
        .first()
    )


def cancel_deadline(booking: Booking) -> datetime:
    return booking.starts_at - timedelta(hours=booking.agenda.cancel_notice_hours)


def citizen_may_change(booking: Booking, *, now: datetime | None = None) -> bool:
    now = now or timezone.now()
    return booking.state == Booking.State.BOOKED and now < cancel_deadline(booking)


def locked(booking: Booking) -> Booking:
    """The booking's row, locked: a double click, or the citizen and a clerk at once."""
    return Booking.objects.select_for_update().select_related("agenda__place").get(pk=booking.pk)


@transaction.atomic
def booking_cancel(
    *,
    booking: Booking,
    by: User | None = None,
    message: str = "",
    now: datetime | None = None,
    notify_citizen: bool = True,
    force: bool = False,
) -> Booking:
    """Cancel and free the desks at once. A citizen cancels until the agenda's limit; a
    clerk at any time, with a message the citizen receives; ``force``: the account's
    closure, whatever the limit, without a mail of its own."""
    now = now or timezone.now()
    booking = locked(booking)
    if booking.state == Booking.State.CANCELLED:
        return booking
    staff = by is not None and by.is_staff
    if not (staff or force) and not citizen_may_change(booking, now=now):
        raise BookingError(
            _("Ce rendez-vous ne peut plus être annulé en ligne : appelez la mairie.")
        )
    if booking.state != Booking.State.BOOKED:
        raise BookingError(_("Ce rendez-vous a déjà eu lieu."))
    counters_release(booking.agenda, booking.slot_starts())
    booking.state = Booking.State.CANCELLED
    booking.cancelled_at = now
    booking.cancel_message = message
    booking.save(update_fields=["state", "cancelled_at", "cancel_message"])
    if booking.agenda.is_identity:
        ants_calls.delete(booking)
    if notify_citizen:
        notify.booking_cancelled(booking, message=message, by_staff=staff)
    else:
        messages_withdraw_pending(dedupe_keys=[notify.reminder_key(booking)])
    return booking


@transaction.atomic
def booking_move(
    *, booking: Booking, starts_at: datetime, token: str, now: datetime | None = None
) -> Booking:
    """Move to another slot of the same agenda: the new desks are taken before the old
    are freed, in one transaction (a full slot leaves the appointment where it was)."""
    now = now or timezone.now()
    booking = locked(booking)
    if not citizen_may_change(booking, now=now):
        raise BookingError(
            _("Ce rendez-vous ne peut plus être déplacé en ligne : appelez la mairie.")
        )
    agenda = booking.agenda
    old_starts = booking.slot_starts()
    fresh = slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get()
    if not slots.is_bookable(fresh, starts_at, people=booking.people, now=now, ignore=old_starts):
        raise BookingError(_("Ce créneau n'est pas proposé à la réservation."))
    old_key = notify.reminder_key(booking)
    if agenda.is_identity:
        ants_calls.delete(booking)
    new_starts = slot_starts(agenda, starts_at, booking.slot_count)
    counters_lock(agenda, sorted(set(old_starts) | set(new_starts)))
    counters_release(agenda, old_starts)
    counters_take(agenda, new_starts)
    booking.starts_at = starts_at
    booking.ends_at = starts_at + booking.slot_count * agenda.slot_length
    booking.save(update_fields=["starts_at", "ends_at"])
    if agenda.is_identity:
        ants_calls.declare(booking, token=token)
    notify.booking_moved(booking, token=token, old_key=old_key)
    return booking


@transaction.atomic
def booking_mark(*, booking: Booking, state: str, by: User) -> Booking:
    """« Présent » / « Absent »: a second click changes nothing, a correction (absent →
    present) is allowed; the no-shows are counted from these."""
    booking = locked(booking)
    if state not in (Booking.State.PRESENT, Booking.State.ABSENT):
        raise BookingError(_("État inconnu."))
    if booking.state == Booking.State.CANCELLED:
        raise BookingError(_("Ce rendez-vous est annulé."))
    if booking.state != state:
        booking.state = state
        booking.save(update_fields=["state"])
    return booking


def describe(booking: Booking) -> str:
    return f"{booking.agenda.title}, {moment_in_words(booking.starts_at)}"
