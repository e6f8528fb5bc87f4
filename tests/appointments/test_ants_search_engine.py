"""The three endpoints the national search engine calls: its token, the documented
shapes, the parameters it sends, and a flat number of queries for three months of
slots of four desks (the ANTS gives up after 15 seconds)."""

import time

import pytest
import time_machine
from django.urls import reverse

from appointments import services
from appointments.models import Agenda
from tests.appointments import factories
from tests.appointments.conftest import fresh, paris

pytestmark = pytest.mark.django_db

TOKEN = "jeton-du-moteur-national"
NOW = paris(2026, 3, 20, 10)


@pytest.fixture(autouse=True)
def _setup(settings):
    settings.ANTS_HUB_TOKEN = TOKEN
    settings.SITE_URL = "https://espace.example"
    with time_machine.travel(NOW, tick=False):
        yield


def hub_get(client, name, query="", token=TOKEN):
    headers = {"X-HUB-RDV-AUTH-TOKEN": token} if token is not None else {}
    return client.get(reverse(f"ants:{name}") + query, headers=headers)


@pytest.mark.parametrize(
    "name", ["managed_meeting_points", "available_time_slots", "search_application_ids"]
)
@pytest.mark.parametrize("token", [None, "", "mauvais-jeton"])
def test_a_missing_or_wrong_token_is_401(client, name, token):
    response = hub_get(client, name, token=token)
    assert response.status_code == 401
    assert response.json()["error"]["code"] == 401


def test_no_configured_token_refuses_even_an_empty_header(client, settings):
    settings.ANTS_HUB_TOKEN = ""
    assert hub_get(client, "managed_meeting_points", token="").status_code == 401


def test_managed_meeting_points_lists_the_places_of_identity_agendas(client, identity_agenda):
    factories.agenda(slug="urbanisme", at=factories.place(name="Services techniques"))
    [point] = hub_get(client, "managed_meeting_points").json()
    place = identity_agenda.place
    assert point == {
        "id": str(place.pk),
        "name": place.name,
        "longitude": 2.3522,
        "latitude": 48.8566,
        "public_entry_address": "3 rue des Tilleuls",
        "zip_code": "99999",
        "city_name": "Villeneuve-sur-Example",
    }


def test_available_time_slots_answers_per_meeting_point_in_utc_with_the_booking_url(
    client, identity_agenda
):
    place = identity_agenda.place.pk
    query = (
        f"?meeting_point_ids={place}&meeting_point_ids=999&start_date=2026-03-24"
        "&end_date=2026-03-24&reason=CNI&documents_number=2"
    )
    body = hub_get(client, "available_time_slots", query).json()

    assert set(body) == {str(place), "999"}
    assert body["999"] == []
    first = body[str(place)][0]
    assert first["datetime"] == "2026-03-24T08:00Z"  # 9:00 in Paris.
    assert first["callback_url"] == (
        "https://espace.example/rendez-vous/titres-identite-tilleuls/reserver/"
        "?debut=2026-03-24T08%3A00Z&personnes=2"
    )
    # For two documents the appointment lasts two slots: the last start of the morning
    # is 11:30 (11:30–12:00), not 11:45.
    stamps = [slot["datetime"] for slot in body[str(place)]]
    assert "2026-03-24T10:30Z" in stamps and "2026-03-24T10:45Z" not in stamps


def test_the_callback_url_opens_the_booking_form_at_that_time(client, identity_agenda):
    query = (
        f"?meeting_point_ids={identity_agenda.place.pk}&start_date=2026-03-24"
        "&end_date=2026-03-24&reason=PASSPORT&documents_number=2"
    )
    url = hub_get(client, "available_time_slots", query).json()[str(identity_agenda.place.pk)][0]
    page = client.get(url["callback_url"].removeprefix("https://espace.example"))
    text = page.content.decode()
    assert page.status_code == 200
    assert "mardi 24 mars 2026 à 9 h 00" in text and 'name="application_2"' in text


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?start_date=2026-03-24&end_date=2026-03-24&reason=CNI", "required"),
        ("?meeting_point_ids=1&start_date=2026-03-24&end_date=2026-03-24&reason=X", "reason"),
        ("?meeting_point_ids=1&start_date=2026-03-25&end_date=2026-03-24&reason=CNI", "after"),
        ("?meeting_point_ids=1&start_date=hier&end_date=2026-03-24&reason=CNI", "required"),
        (
            "?meeting_point_ids=1&start_date=2026-03-24&end_date=2026-03-24&reason=CNI"
            "&documents_number=9",
            "documents_number",
        ),
    ],
)
def test_bad_parameters_get_a_400_that_says_which(client, query, message):
    response = hub_get(client, "available_time_slots", query)
    assert response.status_code == 400
    assert message in response.json()["error"]["message"]


def test_search_application_ids_lists_our_future_appointments_of_those_numbers(
    client, identity_agenda
):
    booking, _ = services.booking_create(
        agenda=identity_agenda,
        starts_at=paris(2026, 3, 24, 9),
        people=2,
        applications=["VALIDE0001", "VALIDE0002"],
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    body = hub_get(
        client, "search_application_ids", "?application_ids=VALIDE0001&application_ids=AUTRE00001"
    ).json()

    assert body["AUTRE00001"] == []
    [found] = body["VALIDE0001"]
    assert found == {
        "meeting_point": identity_agenda.place.name,
        "datetime": "2026-03-24T08:00Z",
        "management_url": f"https://espace.example/rendez-vous/lien-perdu/?rendez-vous={booking.pk}",
        "cancel_url": f"https://espace.example/rendez-vous/lien-perdu/?rendez-vous={booking.pk}",
    }

    services.booking_cancel(booking=booking)
    assert hub_get(client, "search_application_ids", "?application_ids=VALIDE0001").json() == {
        "VALIDE0001": []
    }


def four_agendas_of_four_desks():
    """Four places, each with an identity agenda of four desks, open six days a week."""
    return [
        factories.agenda(
            slug=f"titres-{index}",
            kind=Agenda.Kind.IDENTITY,
            desks=4,
            max_weeks=16,
            at=factories.place(name=f"Mairie annexe {index}"),
        )
        for index in range(4)
    ]


def test_three_months_of_four_desks_take_a_fixed_number_of_queries_and_well_under_15_s(
    client, django_assert_num_queries
):
    agendas = four_agendas_of_four_desks()
    for agenda in agendas:
        for day in (24, 25, 26):
            services.booking_create(
                agenda=fresh(agenda),
                starts_at=paris(2026, 3, day, 10),
                applications=["VALIDE0001"],
                contact=services.Contact("Léa", "MARTIN", f"lea{day}@example.org"),
            )
    ids = "".join(f"&meeting_point_ids={agenda.place_id}" for agenda in agendas)
    query = f"?start_date=2026-03-21&end_date=2026-06-20&reason=CNI&documents_number=1{ids}"

    started = time.perf_counter()
    # The agendas, their hours, their closures, the counters of the whole range.
    with django_assert_num_queries(4):
        response = hub_get(client, "available_time_slots", query)
    elapsed = time.perf_counter() - started

    body = response.json()
    assert len(body) == 4
    slots_per_place = {pk: len(found) for pk, found in body.items()}
    # ~ 13 weeks × 6 days × 24 slots, minus public holidays: thousands, each answered.
    assert all(count > 1500 for count in slots_per_place.values()), slots_per_place
    assert elapsed < 5, f"{elapsed:.1f} s"
