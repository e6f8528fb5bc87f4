"""The ANTS coordination API, as the portal calls it: the status check before booking,
the declarations and deletions written first and pushed later. Against a real HTTP
server that answers as documented, hangs, refuses, or answers garbage."""

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from appointments import services
from appointments.ants import calls, checks, client
from appointments.models import AntsCall, Booking
from tests.appointments.ants_fake import FakeAnts, serve
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 3, 20, 10)
VALIDATED = {"status": "validated", "appointments": []}


@pytest.fixture
def ants(settings):
    fake = FakeAnts(statuses={"VALIDE0001": VALIDATED, "VALIDE0002": VALIDATED})
    server = serve(fake)
    settings.ANTS_API_URL = f"http://127.0.0.1:{server.server_port}/api"
    settings.ANTS_API_TOKEN = "jeton-editeur"
    settings.ANTS_TIMEOUT_SECONDS = 1
    yield fake
    server.shutdown()


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=True):
        yield


def book_two(agenda):
    return services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        people=2,
        applications=["VALIDE0001", "VALIDE0002"],
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )


def test_the_status_request_has_the_documented_shape(ants):
    client.status(["VALIDE0001", "VALIDE0002"])
    [seen] = ants.seen
    assert (seen.method, seen.path) == ("GET", "/api/status")
    # Repeated without brackets, as the ANTS reads lists.
    assert seen.query == {"application_ids": ["VALIDE0001", "VALIDE0002"]}
    assert seen.headers["x-rdv-opt-auth-token"] == "jeton-editeur"


@pytest.mark.parametrize(
    ("status", "words"),
    [
        ("unknown", "n'est pas reconnu par l'ANTS"),
        ("consumed", "déjà déposé en mairie"),
        ("expired", "pré-demande expirée"),
    ],
)
def test_a_number_that_cannot_be_booked_gets_its_french_reason(ants, status, words):
    ants.statuses["ABCDE12345"] = {"status": status, "appointments": []}
    result = checks.numbers_check(["ABCDE12345"])
    assert words in result.problems["ABCDE12345"]
    assert not result.unverified


def test_a_number_booked_elsewhere_says_where(ants):
    ants.statuses["AILLEURS01"] = {
        "status": "validated",
        "appointments": [
            {
                "meeting_point": "Mairie de Lyon 3e",
                "appointment_date": "2026-04-02T10:30:00",
                "management_url": "https://lyon.example/gerer",
            }
        ],
    }
    problem = checks.numbers_check(["AILLEURS01"]).problems["AILLEURS01"]
    assert "Mairie de Lyon 3e" in problem and "2026-04-02 à 10:30" in problem


@pytest.mark.parametrize("mode", ["hang", "refuse", "garbage"])
def test_an_ants_that_hangs_refuses_or_talks_garbage_does_not_block_the_citizen(ants, mode):
    ants.mode = mode
    started = timezone.now()
    result = checks.numbers_check(["VALIDE0001"])
    assert result.problems == {} and result.unverified
    assert (timezone.now() - started).total_seconds() < 2.5  # The 1-second timeout held.


def test_a_closed_port_is_unavailable_too(settings):
    settings.ANTS_API_URL = "http://127.0.0.1:9/api"
    with pytest.raises(client.AntsUnavailable):
        client.status(["VALIDE0001"])


def test_an_unexpected_status_code_is_unavailable(ants):
    with pytest.raises(client.AntsUnavailable, match="HTTP 404"):
        client.call("GET", "/nowhere", [])


def test_the_booking_writes_one_declaration_per_number_and_the_worker_sends_them(
    ants, identity_agenda
):
    booking, _token = book_two(identity_agenda)
    assert AntsCall.objects.filter(done_at=None).count() == 2
    assert ants.seen == []  # Nothing sent from the citizen's request.

    assert calls.calls_push() == {"sent": 2, "retry": 0}

    sent = [seen for seen in ants.seen if seen.method == "POST"]
    assert {s.query["application_id"][0] for s in sent} == {"VALIDE0001", "VALIDE0002"}
    query = sent[0].query
    assert set(query) == {
        "application_id",
        "meeting_point",
        "meeting_point_id",
        "appointment_date",
        "management_url",
    }
    assert query["appointment_date"] == ["2026-03-24T09:00:00"]
    assert query["meeting_point"] == [identity_agenda.place.name]
    assert query["management_url"][0].endswith(f"/rendez-vous/lien-perdu/?rendez-vous={booking.pk}")
    assert not AntsCall.objects.filter(done_at=None).exists()


@pytest.mark.parametrize("mode", ["hang", "refuse", "garbage"])
def test_a_declaration_the_ants_does_not_take_is_kept_and_retried_later(
    ants, identity_agenda, mode
):
    book_two(identity_agenda)
    ants.mode = mode

    outcome = calls.calls_push()

    # The first number failed; the second waits behind nothing but is tried too.
    assert outcome["sent"] == 0 and outcome["retry"] == 2
    pending = AntsCall.objects.filter(done_at=None)
    assert pending.count() == 2
    assert all(call.last_error and call.next_attempt_at > timezone.now() for call in pending)

    ants.mode = "ok"
    assert calls.calls_push()["sent"] == 0  # Not due yet.
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=2)):
        assert calls.calls_push()["sent"] == 2


def test_a_cancellation_before_the_declaration_left_sends_nothing(ants, identity_agenda):
    booking, _ = book_two(identity_agenda)
    services.booking_cancel(booking=booking)

    calls.calls_push()

    assert ants.seen == []
    assert not AntsCall.objects.filter(done_at=None).exists()


def test_a_cancellation_after_the_declaration_deletes_it_with_the_documented_fields(
    ants, identity_agenda
):
    booking, _ = book_two(identity_agenda)
    calls.calls_push()
    services.booking_cancel(booking=booking)
    calls.calls_push()

    deleted = [seen for seen in ants.seen if seen.method == "DELETE"]
    assert len(deleted) == 2
    assert set(deleted[0].query) == {
        "application_id",
        "meeting_point",
        "meeting_point_id",
        "appointment_date",
    }


def test_a_deletion_never_overtakes_its_declaration(ants, identity_agenda):
    booking, _ = book_two(identity_agenda)
    AntsCall.objects.update(attempts=1)  # As if the first push had failed once.
    services.booking_cancel(booking=booking)
    ants.mode = "refuse"
    calls.calls_push()
    ants.mode = "ok"
    with time_machine.travel(timezone.now() + timezone.timedelta(minutes=5)):
        calls.calls_push()
        calls.calls_push()
    methods = [
        seen.method for seen in ants.seen if seen.query.get("application_id") == ["VALIDE0001"]
    ]
    assert methods[-2:] == ["POST", "DELETE"]


def test_the_booking_page_puts_the_ants_refusal_beside_the_number(ants, client, identity_agenda):
    ants.statuses["CONSOMME01"] = {"status": "consumed", "appointments": []}
    url = (
        reverse("appointments:book", args=[identity_agenda.slug])
        + "?debut=2026-03-24T08:00Z&personnes=2"
    )
    response = client.post(
        url,
        {
            "first_name": "Léa",
            "last_name": "Martin",
            "email": "lea@example.org",
            "application_1": "valide0001",
            "application_2": "CONSOMME01",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_application_2_error"' in page and "déjà déposé en mairie" in page
    assert not Booking.objects.exists()


def test_when_the_ants_is_silent_the_booking_is_made_and_flagged_for_the_clerk(
    ants, client, identity_agenda
):
    ants.mode = "refuse"
    url = reverse("appointments:book", args=[identity_agenda.slug]) + "?debut=2026-03-24T08:00Z"
    response = client.post(
        url,
        {
            "first_name": "Léa",
            "last_name": "Martin",
            "email": "lea@example.org",
            "application_1": "VALIDE0001",
            "captcha_0": "x",
            "captcha_1": "PASSED",
        },
    )
    assert response.status_code == 302
    assert Booking.objects.get().ants_unverified
