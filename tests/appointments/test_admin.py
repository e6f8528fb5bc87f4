"""The clerks' side: the agenda's day and week, « Présent » / « Absent », cancelling with
a message, booking for a citizen, the access journal, and the scope of each service."""

import pytest
import time_machine
from django.urls import reverse

from appointments import services
from appointments.models import Booking
from backoffice.models import AccessEntry
from notifications.models import Message
from tests.appointments.conftest import paris
from tests.backoffice import personas
from tests.factories import clerk_of_another_service, role_group
from tests.procedures.factories import ThemeFactory

pytestmark = pytest.mark.django_db

NOW = paris(2026, 3, 20, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def service(agenda):
    clerk = personas.service_clerk(ThemeFactory(title="État civil", slug="etat-civil-rdv"))
    agenda.groups.add(role_group("Service État civil"))
    return clerk


@pytest.fixture
def booking(agenda, citizen):
    booked, _ = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Camille", "MARTIN", citizen.email, "06 11 22 33 44"),
        account=citizen,
    )
    return booked


def test_the_day_shows_who_comes_when_and_the_free_places(client, service, agenda, booking):
    client.force_login(service)
    url = reverse("admin:appointments_agenda_planning", args=[agenda.pk])
    page = client.get(url, {"jour": "2026-03-24"}).content.decode()
    assert "Mardi 24 mars 2026" in page
    assert "9 h 00" in page and "Camille MARTIN" in page and "06 11 22 33 44" in page
    assert "planning.css" in page  # The printable style sheet.
    week = client.get(url, {"jour": "2026-03-24", "vue": "semaine"}).content.decode()
    assert "Lundi 23 mars 2026" in week and "Dimanche 29 mars 2026" in week


def test_a_clerk_of_another_service_does_not_see_the_agenda_s_day(client, agenda, booking):
    client.force_login(clerk_of_another_service())
    url = reverse("admin:appointments_agenda_planning", args=[agenda.pk])
    assert client.get(url).status_code == 404
    assert (
        client.get(reverse("admin:appointments_booking_change", args=[booking.pk])).status_code
        == 404
    )


def test_opening_a_booking_is_written_in_the_access_journal(client, service, booking, citizen):
    client.force_login(service)
    client.get(reverse("admin:appointments_booking_change", args=[booking.pk]))
    entry = AccessEntry.objects.get(kind=AccessEntry.Kind.APPOINTMENT)
    assert (entry.staff, entry.citizen, entry.object_id) == (service, citizen, str(booking.pk))


def test_present_and_absent_are_counted_on_the_day(client, service, agenda, booking):
    client.force_login(service)
    mark = reverse("admin:appointments_booking_mark", args=[booking.pk])
    client.post(mark, {"state": "absent"})
    booking.refresh_from_db()
    assert booking.state == Booking.State.ABSENT
    page = client.get(reverse("admin:appointments_agenda_planning", args=[agenda.pk])).content
    assert "1 absent(s)" in page.decode()


def test_cancelling_requires_a_message_that_the_citizen_receives(client, service, booking):
    client.force_login(service)
    url = reverse("admin:appointments_booking_cancel", args=[booking.pk])
    assert "Écrivez le message" in client.post(url, {"message": ""}).content.decode()
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED

    client.post(url, {"message": "Le guichet est fermé ce jour-là : reprenez rendez-vous."})

    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    sent = Message.objects.get(subject__startswith="Rendez-vous annulé")
    assert "reprenez rendez-vous" in sent.body_text and "La mairie a annulé" in sent.body_text


def test_a_clerk_books_for_a_citizen_with_the_same_rules(client, service, agenda):
    client.force_login(service)
    url = reverse("admin:appointments_booking_add")
    data = {
        "agenda": agenda.pk,
        "day": "2026-03-25",
        "time": "10:00",
        "people": 1,
        "first_name": "Jean",
        "last_name": "DUPONT",
        "email": "jean.dupont@example.org",
        "phone": "",
        "applications": "",
        "account_identifier": "",
    }
    assert client.post(url, data).status_code == 302
    booking = Booking.objects.get()
    assert (booking.booked_by, booking.starts_at) == (service, paris(2026, 3, 25, 10))
    assert Message.objects.filter(subject__startswith="Rendez-vous confirmé").exists()

    again = client.post(url, data | {"email": "autre@example.org"})
    assert "Ce créneau vient d" in again.content.decode()
    assert Booking.objects.count() == 1


def test_the_booking_form_offers_only_the_clerk_s_agendas(client, service, agenda):
    from tests.appointments import factories

    other = factories.agenda(slug="autre-service", title="Urbanisme", at=agenda.place)
    client.force_login(service)
    form = client.get(reverse("admin:appointments_booking_add")).context["adminform"].form
    assert list(form.fields["agenda"].queryset) == [agenda]
    assert other not in form.fields["agenda"].queryset


def test_the_booking_page_shows_the_pre_application_numbers_to_the_service(
    client, service, identity_agenda
):
    identity_agenda.groups.add(role_group("Service État civil"))
    booking, _ = services.booking_create(
        agenda=identity_agenda,
        starts_at=paris(2026, 3, 24, 9),
        applications=["VALIDE0001"],
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    client.force_login(service)
    page = client.get(reverse("admin:appointments_booking_change", args=[booking.pk]))
    assert "VALIDE0001" in page.content.decode()
