"""The demo's counters (demo/appointments.py, run by seed_demo)."""

import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from appointments.models import Agenda, Booking
from demo import appointments as demo_appointments

pytestmark = pytest.mark.django_db


def test_seed_demo_shows_the_agendas_an_appointment_of_the_demo_citizen_and_the_ants_numbers():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    text = out.getvalue()

    assert Agenda.objects.filter(kind=Agenda.Kind.IDENTITY, published=True).count() == 1
    assert Booking.objects.filter(account__identifier="demo").count() == 1
    identity = Booking.objects.get(agenda__kind=Agenda.Kind.IDENTITY)
    assert identity.people == 2 and identity.applications.count() == 2
    assert "CONSOMME01" in text and "AILLEURS01" in text and "VALIDE0001" in text
    assert (
        Agenda.objects.get(slug="passeport-carte-identite")
        .groups.filter(name="Service État civil")
        .exists()
    )


def test_a_second_run_adds_no_appointment_and_no_agenda():
    call_command("seed_demo", stdout=io.StringIO())
    before = (Agenda.objects.count(), Booking.objects.count())
    assert demo_appointments.seed() == (4, 0)
    assert (Agenda.objects.count(), Booking.objects.count()) == before


def test_the_help_page_says_how_to_book_cancel_and_use_the_pre_application_numbers(client):
    from django.urls import reverse

    page = client.get(reverse("help")).content.decode()
    for words in (
        "« Rendez-vous »",
        "« Confirmer le rendez-vous »",
        "« Déplacer ce rendez-vous »",
        "« Annuler ce rendez-vous »",
        "numéro de pré-demande",
        "« Mes rendez-vous »",
        reverse("appointments:lost_link"),
    ):
        assert words in page


def test_seed_demo_leaves_past_appointments_with_their_outcome_for_the_figures():
    call_command("seed_demo", stdout=io.StringIO())
    past = Booking.objects.filter(agenda__slug="etat-civil", starts_at__lt=timezone.now())
    states = sorted(past.values_list("state", flat=True))
    assert states == ["absent", "cancelled", "present", "present", "present", "present"]
    assert Booking.objects.filter(agenda__slug="urbanisme", state="absent").count() == 1
    assert not Booking.objects.filter(
        agenda__kind=Agenda.Kind.IDENTITY, starts_at__lt=timezone.now()
    )
