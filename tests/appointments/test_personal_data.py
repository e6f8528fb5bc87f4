"""What « Données personnelles » promises for appointments: the period on the page and
applied by purge, the archive, the account's closure, the transfer to the ANTS stated."""

import io
import json
import zipfile
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from appointments import services
from appointments.models import AntsCall, Booking, SlotCounter
from notifications.models import Message
from notifications.topics import ACCOUNT_CLOSED, appointment_topic
from privacy import closure
from privacy.archive import archive_write
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db


def booked(agenda, account=None, start=None, **extra):
    booking, _ = services.booking_create(
        agenda=agenda,
        starts_at=start or paris(2026, 3, 24, 9),
        contact=services.Contact(
            "Camille", "MARTIN", account.email if account else "camille@example.org"
        ),
        account=account,
        **extra,
    )
    return booking


def test_the_page_states_the_period_and_the_transfer_to_the_ants(client, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 92
    page = client.get(reverse("privacy")).content.decode()
    assert "Rendez-vous aux guichets" in page
    assert "3 mois après la date du rendez-vous" in page
    assert "ANTS" in page and "numéro de pré-demande" in page


def test_purge_deletes_bookings_three_months_after_their_date_with_their_messages(agenda, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 92
    with time_machine.travel(paris(2026, 3, 20, 10), tick=False):
        old = booked(agenda)
    with time_machine.travel(paris(2026, 5, 20, 10), tick=False):
        kept = services.booking_create(
            agenda=agenda,
            starts_at=paris(2026, 5, 26, 9),
            contact=services.Contact("Paul", "DURAND", "paul@example.org"),
        )[0]
    assert Message.objects.filter(topic=appointment_topic(old.pk)).exists()

    with time_machine.travel(paris(2026, 3, 24, 9) + timedelta(days=93), tick=False):
        call_command("purge", stdout=io.StringIO())

    assert list(Booking.objects.all()) == [kept]
    assert not Message.objects.filter(topic=appointment_topic(old.pk)).exists()
    assert not SlotCounter.objects.filter(starts_at=paris(2026, 3, 24, 9)).exists()


def test_an_ants_declaration_still_owed_survives_the_purge(identity_agenda, settings):
    settings.APPOINTMENT_RETENTION_DAYS = 92
    with time_machine.travel(paris(2026, 3, 20, 10), tick=False):
        booked(identity_agenda, applications=["VALIDE0001"])
    with time_machine.travel(paris(2026, 9, 1, 9), tick=False):
        call_command("purge", stdout=io.StringIO())
    assert AntsCall.objects.filter(done_at=None).count() == 1


def test_the_archive_lists_the_account_s_appointments(agenda, citizen):
    with time_machine.travel(paris(2026, 3, 20, 10), tick=False):
        booked(agenda, citizen)
    target = io.BytesIO()
    archive_write(account=citizen, target=target)
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("donnees.json"))
        summary = archive.read("resume.html").decode()
    [booking] = data["rendez_vous"]
    assert booking["date"] == "mardi 24 mars 2026 à 9 h 00"
    assert booking["adresse_electronique"] == citizen.email
    assert "Mes rendez-vous" in summary and "mardi 24 mars 2026 à 9 h 00" in summary


def test_closing_the_account_cancels_the_future_appointments_frees_them_and_deletes_all(
    agenda, citizen, django_capture_on_commit_callbacks
):
    with time_machine.travel(paris(2026, 3, 20, 10), tick=False):
        booking = booked(agenda, citizen)
        with django_capture_on_commit_callbacks(execute=True):
            closure.account_close(account=citizen, by=citizen, cancel_open_requests=True)

    assert not Booking.objects.filter(pk=booking.pk).exists()
    assert SlotCounter.objects.get(agenda=agenda).taken == 0
    closed = Message.objects.get(topic=ACCOUNT_CLOSED)
    assert "Ces rendez-vous à venir ont été annulés" in closed.body_text
    assert "mardi 24 mars 2026 à 9 h 00" in closed.body_text
    assert not Message.objects.filter(subject__startswith="Rendez-vous annulé").exists()


def test_closing_the_account_withdraws_the_ants_declaration(identity_agenda, citizen):
    with time_machine.travel(paris(2026, 3, 20, 10), tick=False):
        booked(identity_agenda, citizen, applications=["VALIDE0001"])
        AntsCall.objects.update(done_at=paris(2026, 3, 20, 10), attempts=1)
        closure.account_close(account=citizen, by=citizen, cancel_open_requests=True)
    assert AntsCall.objects.filter(action=AntsCall.Action.DELETE, done_at=None).count() == 1
