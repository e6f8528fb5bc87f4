"""Attacks on the new surfaces' input: characters Python calls digits that int() refuses
(« ² », « ٣ »), and dates at the end of the calendar. Every answer stays below 500."""

import hypothesis
import pytest
import time_machine
from django.urls import reverse
from hypothesis import strategies as st

from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db

# str.isdigit() is true for these, int() raises ValueError on the first two.
NOT_ASCII_DIGITS = ["²", "①", "٣"]
NOW = paris(2026, 3, 20, 10)


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.mark.parametrize("value", NOT_ASCII_DIGITS)
def test_people_count_that_is_not_an_ascii_number_is_one_person(client, identity_agenda, value):
    url = reverse("appointments:agenda", args=[identity_agenda.slug])
    response = client.get(url, {"personnes": value})
    assert response.status_code == 200


@pytest.mark.parametrize("stamp", ["9999-12-31T23:59Z", "0001-01-01T00:00Z"])
def test_a_slot_at_the_end_of_the_calendar_is_not_a_500(client, agenda, stamp):
    url = reverse("appointments:book", args=[agenda.slug])
    response = client.get(url, {"debut": stamp})
    assert response.status_code < 500


TOKEN = "jeton-du-moteur-national"


@pytest.mark.parametrize(
    "query",
    [
        {"meeting_point_ids": "²", "documents_number": "1"},
        {"meeting_point_ids": "1", "documents_number": "²"},
    ],
)
def test_the_search_engine_gets_a_400_for_numbers_int_refuses(client, settings, query):
    settings.ANTS_HUB_TOKEN = TOKEN
    query |= {"start_date": "2026-03-23", "end_date": "2026-03-30", "reason": "CNI"}
    response = client.get(
        reverse("ants:available_time_slots"), query, headers={"X-HUB-RDV-AUTH-TOKEN": TOKEN}
    )
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("start", "end"),
    [("9999-12-31", "9999-12-31"), ("9999-06-01", "9999-12-31"), ("0001-01-01", "0001-01-02")],
)
def test_the_search_engine_gets_no_500_for_days_at_the_end_of_the_calendar(
    client, settings, identity_agenda, start, end
):
    settings.ANTS_HUB_TOKEN = TOKEN
    query = {
        "meeting_point_ids": str(identity_agenda.place_id),
        "start_date": start,
        "end_date": end,
        "reason": "CNI",
    }
    response = client.get(
        reverse("ants:available_time_slots"), query, headers={"X-HUB-RDV-AUTH-TOKEN": TOKEN}
    )
    assert response.status_code < 500


@pytest.fixture
def victor_with_bookings():
    """A clerk of another service who handles bookings (of agendas of his own)."""
    from tests.factories import clerk_of_another_service

    victor = clerk_of_another_service()
    assert victor.has_perm("appointments.view_booking")
    return victor


def outside_service_booking(agenda, citizen):
    from appointments import services

    booked, _ = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Camille", "MARTIN", citizen.email, "06 11 22 33 44"),
        account=citizen,
    )
    return booked


def test_a_booking_outside_the_clerks_agendas_is_404_on_presence_and_cancel(
    client, agenda, citizen, victor_with_bookings
):
    from appointments.models import Booking

    booking = outside_service_booking(agenda, citizen)
    client.force_login(victor_with_bookings)
    presence = reverse("admin:appointments_booking_mark", args=[booking.pk])
    cancel = reverse("admin:appointments_booking_cancel", args=[booking.pk])
    assert client.post(presence, {"state": "present"}).status_code == 404
    assert client.get(cancel).status_code == 404
    assert client.post(cancel, {"message": "Fermé"}).status_code == 404
    booking.refresh_from_db()
    assert booking.state == Booking.State.BOOKED


@pytest.mark.parametrize("object_id", ["999999", "abc"])
def test_the_planning_of_an_unknown_agenda_is_404(client, agenda, victor_with_bookings, object_id):
    client.force_login(victor_with_bookings)
    url = reverse("admin:appointments_agenda_planning", args=[object_id])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
@pytest.mark.parametrize("view", ["jour", "semaine"])
def test_the_planning_at_the_calendar_s_ends_is_no_500(admin_client, agenda, day, view):
    url = reverse("admin:appointments_agenda_planning", args=[agenda.pk])
    assert admin_client.get(url, {"jour": day, "vue": view}).status_code < 500


@pytest.mark.parametrize("name", ["ß" * 150, "ŉ" * 100])
def test_a_last_name_that_grows_in_capitals_is_refused_in_french_not_a_500(client, agenda, name):
    """« ß » is « SS » in capitals: 150 letters become 300, over the column's 150."""
    from appointments.models import Booking
    from tests.appointments.test_citizen_views import anonymous_data, book_url

    response = client.post(book_url(agenda), anonymous_data(last_name=name))
    assert response.status_code == 200
    assert "150 caractères" in response.content.decode()
    assert not Booking.objects.exists()


def test_a_management_link_never_reaches_the_log(agenda, citizen):
    """The link of the confirmation mail is a key, like a tracking code: a refused form
    (CSRF), a 404 or a move logs its path masked, in the path and in the referrer."""
    import io
    import logging

    from django.test import Client

    from appointments import services

    _booking, token = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Camille", "MARTIN", citizen.email),
    )
    root = logging.getLogger()
    (console,) = [h for h in root.handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous = console.setStream(stream)
    try:
        manage = reverse("appointments:manage", args=[token])
        response = Client(enforce_csrf_checks=True).post(
            manage, {"confirm": "on"}, HTTP_REFERER=f"https://espace.example{manage}"
        )
        assert response.status_code == 403
        logging.getLogger("django.request").warning("Referer: %s", f"{manage}deplacer/")
    finally:
        console.setStream(previous)
    log = stream.getvalue()
    assert "/rendez-vous/gerer/***/" in log
    assert token not in log


def test_the_proxy_masks_the_management_links_in_its_access_log():
    from tests.test_proxy_config import CONF

    assert CONF.count("|rendez-vous/gerer)/") == 2  # the path's map and the referrer's


FIELD_TEXT = st.text(alphabet=st.characters(codec="utf-8"), max_size=200)


@hypothesis.settings(max_examples=60, suppress_health_check=list(hypothesis.HealthCheck))
@hypothesis.given(
    fields=st.fixed_dictionaries(
        {},
        optional=dict.fromkeys(
            (
                "first_name",
                "last_name",
                "email",
                "phone",
                "personnes",
                "application_1",
                "application_2",
            ),
            FIELD_TEXT,
        ),
    ),
    debut=st.sampled_from(["2026-03-24T08:00Z", "2026-03-24T08:07Z", "2026-13-01T00:00Z", ""]),
)
def test_the_booking_form_answers_any_input_below_500_and_in_french(
    client, identity_agenda, fields, debut
):
    url = reverse("appointments:book", args=[identity_agenda.slug]) + f"?debut={debut}"
    data = {"captcha_0": "any", "captcha_1": "PASSED"} | fields
    response = client.post(url, data)
    assert response.status_code < 500
    if response.status_code == 200:
        assert 'lang="fr"' in response.content.decode()


def test_the_ants_answers_and_the_mail_links_pages_are_never_stored(client, settings, agenda):
    from appointments import services
    from tests.test_personal_pages import private_and_no_store

    settings.ANTS_HUB_TOKEN = TOKEN
    hub = {"X-HUB-RDV-AUTH-TOKEN": TOKEN}
    search = client.get(
        reverse("ants:search_application_ids"), {"application_ids": "A"}, headers=hub
    )
    assert search.status_code == 200 and private_and_no_store(search)
    _booking, token = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Camille", "MARTIN", "camille@example.org"),
    )
    for name in ("manage", "done", "move", "ics"):
        response = client.get(reverse(f"appointments:{name}", args=[token]))
        assert response.status_code == 200 and private_and_no_store(response), name
    unknown = client.get(reverse("appointments:manage", args=["inconnu"]))
    assert unknown.status_code == 404 and private_and_no_store(unknown)
