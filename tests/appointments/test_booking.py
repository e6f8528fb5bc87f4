"""Booking, cancelling and moving: the desks counted, the rules, the mails through the
outbox (confirmation with its .ics, reminder the day before), the token kept hashed."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from icalendar import Calendar

from appointments import services
from appointments.models import Booking, SlotCounter
from appointments.tokens import token_hash
from notifications.models import Message, MessageKind, MessageStatus
from notifications.services import messages_requeue
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 3, 20, 10)
CONTACT = services.Contact("Léa", "MARTIN", "lea.martin@example.org", "06 12 34 56 78")


def book(agenda, start, contact=CONTACT, **extra):
    return services.booking_create(agenda=agenda, starts_at=start, contact=contact, **extra)


def taken(agenda, start) -> int:
    counter = SlotCounter.objects.filter(agenda=agenda, starts_at=start).first()
    return counter.taken if counter else 0


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def test_a_booking_takes_a_desk_and_keeps_only_the_hash_of_its_token(agenda):
    start = paris(2026, 3, 24, 9)
    booking, token = book(agenda, start)

    assert taken(agenda, start) == 1
    assert len(token) >= 40
    assert booking.token_hash == token_hash(token)
    assert token not in booking.token_hash
    assert services.booking_for_token(token) == booking
    assert services.booking_for_token(token + "x") is None


def test_the_last_desk_taken_the_slot_refuses_the_next_booking(agenda):
    start = paris(2026, 3, 24, 9)
    book(agenda, start)
    with pytest.raises(services.SlotTaken, match="Ce créneau vient d'être réservé"):
        book(agenda, start, contact=services.Contact("Paul", "DURAND", "paul@example.org"))
    assert Booking.objects.count() == 1


def test_a_cancelled_booking_frees_its_desk_at_once(agenda):
    start = paris(2026, 3, 24, 9)
    booking, _ = book(agenda, start)
    services.booking_cancel(booking=booking)

    assert taken(agenda, start) == 0
    other, _ = book(agenda, start, contact=services.Contact("Paul", "DURAND", "paul@example.org"))
    assert other.state == Booking.State.BOOKED


def test_one_person_holds_one_future_appointment_per_agenda_unless_the_agenda_allows_more(agenda):
    book(agenda, paris(2026, 3, 24, 9))
    with pytest.raises(services.BookingError, match="déjà un rendez-vous à venir"):
        book(agenda, paris(2026, 3, 25, 9), contact=CONTACT)

    agenda.one_future_per_person = False
    agenda.save(update_fields=["one_future_per_person"])
    second, _ = book(agenda, paris(2026, 3, 25, 9))
    assert second.pk


def test_the_same_address_in_another_case_is_the_same_person(agenda):
    book(agenda, paris(2026, 3, 24, 9))
    shouting = services.Contact("Léa", "MARTIN", "LEA.MARTIN@EXAMPLE.ORG")
    with pytest.raises(services.BookingError):
        book(agenda, paris(2026, 3, 25, 9), contact=shouting)


def test_a_slot_not_offered_is_refused_with_the_reason(agenda):
    with pytest.raises(services.BookingError, match="n'est pas proposé"):
        book(agenda, paris(2026, 3, 20, 14))  # Within the 24 hours of notice.
    with pytest.raises(services.BookingError, match="n'est pas proposé"):
        book(agenda, paris(2026, 3, 24, 12, 30))  # Lunch break.
    assert not SlotCounter.objects.exists()


def test_the_confirmation_mail_gives_the_date_in_words_what_to_bring_the_link_and_an_ics(
    agenda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        booking, token = book(agenda, paris(2026, 3, 28, 9, 30))

    [sent] = mail.outbox
    assert sent.subject.startswith("Rendez-vous confirmé")
    assert "samedi 28 mars 2026 à 9 h 30" in sent.body
    assert "Une pièce d'identité et un justificatif de domicile." in sent.body
    assert f"/rendez-vous/gerer/{token}/" in sent.body
    [(name, content, mimetype)] = sent.attachments
    assert (name, mimetype) == ("rendez-vous.ics", "text/calendar")
    event = Calendar.from_ical(content).walk("VEVENT")[0]
    assert event.decoded("dtstart") == paris(2026, 3, 28, 9, 30)
    assert "DTSTART:20260328T083000Z" in content  # 9:30 in Paris is 8:30 UTC in winter.


def test_after_the_change_to_summer_time_mail_and_ics_still_say_the_paris_time(
    agenda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        book(agenda, paris(2026, 3, 30, 9, 30))

    [sent] = mail.outbox
    assert "lundi 30 mars 2026 à 9 h 30" in sent.body
    assert "DTSTART:20260330T073000Z" in sent.attachments[0][1]  # UTC+2 from 29 March.


def test_the_reminder_leaves_the_day_before_and_a_cancellation_withdraws_it(agenda, settings):
    booking, _ = book(agenda, paris(2026, 3, 28, 9, 30))
    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert reminder.send_after == paris(2026, 3, 27, settings.REMINDER_HOUR)
    assert "c'est demain" not in reminder.subject and "demain" in reminder.subject

    services.booking_cancel(booking=booking)

    assert not Message.objects.filter(kind=MessageKind.REMINDER).exists()
    cancelled = Message.objects.get(subject__startswith="Rendez-vous annulé")
    assert "comme vous l'avez demandé" in cancelled.body_text


def test_the_reminder_is_sent_by_the_outbox_when_its_time_comes(agenda, settings):
    book(agenda, paris(2026, 3, 28, 9, 30))
    mail.outbox.clear()
    with time_machine.travel(paris(2026, 3, 27, settings.REMINDER_HOUR, 1), tick=False):
        messages_requeue()
    reminder = Message.objects.get(kind=MessageKind.REMINDER)
    assert reminder.status == MessageStatus.SENT
    assert any("Rappel" in sent.subject for sent in mail.outbox)


def test_no_reminder_for_an_appointment_whose_eve_has_passed(agenda):
    with time_machine.travel(paris(2026, 3, 23, 9), tick=False):
        book(agenda, paris(2026, 3, 24, 10))
    assert not Message.objects.filter(kind=MessageKind.REMINDER).exists()


def test_the_citizen_cancels_only_until_the_agenda_s_limit_a_clerk_at_any_time(agenda, clerk):
    booking, _ = book(agenda, paris(2026, 3, 24, 9))
    with time_machine.travel(paris(2026, 3, 23, 9, 30), tick=False):
        with pytest.raises(services.BookingError, match="appelez la mairie"):
            services.booking_cancel(booking=booking)
        services.booking_cancel(booking=booking, by=clerk, message="Guichet fermé : grève.")
    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    mail_text = Message.objects.get(subject__startswith="Rendez-vous annulé").body_text
    assert "La mairie a annulé votre rendez-vous." in mail_text
    assert "Guichet fermé : grève." in mail_text


def test_cancelling_twice_changes_nothing_the_second_time(agenda):
    start = paris(2026, 3, 24, 9)
    booking, _ = book(agenda, start)
    services.booking_cancel(booking=booking)
    services.booking_cancel(booking=booking)
    assert taken(agenda, start) == 0
    assert Message.objects.filter(subject__startswith="Rendez-vous annulé").count() == 1


def test_moving_takes_the_new_slot_frees_the_old_and_rewrites_the_reminder(agenda):
    old, new = paris(2026, 3, 24, 9), paris(2026, 3, 26, 15)
    booking, token = book(agenda, old)

    services.booking_move(booking=booking, starts_at=new, token=token)

    booking.refresh_from_db()
    assert (booking.starts_at, booking.ends_at) == (new, new + timedelta(minutes=15))
    assert (taken(agenda, old), taken(agenda, new)) == (0, 1)
    [reminder] = Message.objects.filter(kind=MessageKind.REMINDER)
    assert reminder.send_after.date() == paris(2026, 3, 25, 8).date()
    assert Message.objects.filter(subject__startswith="Rendez-vous déplacé").exists()


def test_moving_to_a_full_slot_leaves_the_appointment_where_it_was(agenda):
    old, full = paris(2026, 3, 24, 9), paris(2026, 3, 24, 9, 15)
    booking, token = book(agenda, old)
    book(agenda, full, contact=services.Contact("Paul", "DURAND", "paul@example.org"))

    with pytest.raises(services.BookingError):
        services.booking_move(booking=booking, starts_at=full, token=token)

    booking.refresh_from_db()
    assert booking.starts_at == old
    assert (taken(agenda, old), taken(agenda, full)) == (1, 1)


def test_an_identity_appointment_for_two_lasts_two_slots_and_takes_both(identity_agenda):
    start = paris(2026, 3, 24, 9)
    booking, _ = book(identity_agenda, start, people=2, applications=["VALIDE0001", "VALIDE0002"])
    assert booking.ends_at - booking.starts_at == timedelta(minutes=30)
    assert (
        taken(identity_agenda, start),
        taken(identity_agenda, start + timedelta(minutes=15)),
    ) == (1, 1)
    assert sorted(booking.applications.values_list("number", flat=True)) == [
        "VALIDE0001",
        "VALIDE0002",
    ]


def test_an_identity_appointment_needs_one_number_per_person(identity_agenda):
    with pytest.raises(services.BookingError, match="un numéro de pré-demande par personne"):
        book(identity_agenda, paris(2026, 3, 24, 9), people=2, applications=["VALIDE0001"])


def test_presence_and_absence_are_marked_and_a_cancelled_booking_refuses_them(agenda, clerk):
    booking, _ = book(agenda, paris(2026, 3, 24, 9))
    services.booking_mark(booking=booking, state=Booking.State.ABSENT, by=clerk)
    services.booking_mark(booking=booking, state=Booking.State.PRESENT, by=clerk)
    booking.refresh_from_db()
    assert booking.state == Booking.State.PRESENT

    other, _ = book(agenda, paris(2026, 3, 25, 9), contact=services.Contact("A", "B", "a@b.fr"))
    services.booking_cancel(booking=other)
    with pytest.raises(services.BookingError):
        services.booking_mark(booking=other, state=Booking.State.PRESENT, by=clerk)
