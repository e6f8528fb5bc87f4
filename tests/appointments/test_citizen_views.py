"""The citizen's pages: place, then day, then time; the form with or without an account;
the confirmation; the link that cancels or moves; « Mes rendez-vous » on « Accueil »."""

from datetime import timedelta

import pytest
import time_machine
from django.core import mail
from django.urls import reverse

from appointments import services
from appointments.models import Booking, SlotCounter
from tests.appointments.conftest import paris

pytestmark = pytest.mark.django_db

NOW = paris(2026, 3, 20, 10)
SLOT = "2026-03-24T08:00Z"  # Tuesday 24 March, 9:00 in Paris.


@pytest.fixture(autouse=True)
def _now():
    with time_machine.travel(NOW, tick=False):
        yield


def anonymous_data(**extra):
    return {
        "first_name": "Léa",
        "last_name": "Martin",
        "email": "lea.martin@example.org",
        "phone": "06 12 34 56 78",
        "captcha_0": "any",
        "captcha_1": "PASSED",
    } | extra


def book_url(agenda, **query):
    params = "&".join(f"{key}={value}" for key, value in ({"debut": SLOT} | query).items())
    return reverse("appointments:book", args=[agenda.slug]) + "?" + params


def test_the_index_lists_each_place_with_its_agendas(client, agenda):
    page = client.get(reverse("appointments:index")).content.decode()
    assert "Mairie annexe des Tilleuls" in page
    assert reverse("appointments:agenda", args=[agenda.slug]) in page


def test_the_days_are_a_list_of_headings_and_links_with_no_script(client, agenda):
    response = client.get(reverse("appointments:agenda", args=[agenda.slug]))
    page = response.content.decode()
    assert response.status_code == 200
    # Saturday 21 March is within the 24 hours' notice from Friday 10:00? No: it is open.
    assert "<h3" in page and "Samedi 21 mars 2026" in page
    assert "Dimanche 22 mars 2026" in page and "Aucun créneau libre" in page
    assert f'?debut={SLOT}"' in page
    assert "<script" not in page.split("<main")[1].split("</main>")[0]


def test_the_next_week_page_starts_where_the_first_ended(client, agenda):
    first = client.get(reverse("appointments:agenda", args=[agenda.slug]))
    assert "?semaine=2026-03-28" in first.content.decode()
    second = client.get(
        reverse("appointments:agenda", args=[agenda.slug]), {"semaine": "2026-03-28"}
    )
    assert "Samedi 28 mars 2026" in second.content.decode()
    assert "Semaine précédente" in second.content.decode()


def test_an_unpublished_agenda_is_not_found(client, agenda):
    agenda.published = False
    agenda.save(update_fields=["published"])
    assert client.get(reverse("appointments:agenda", args=[agenda.slug])).status_code == 404


def test_without_an_account_the_form_asks_the_cryptogramme_and_books(
    client, agenda, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(book_url(agenda), anonymous_data())

    booking = Booking.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith("/rendez-vous/gerer/")
    assert booking.account is None and booking.last_name == "MARTIN"
    done = client.get(response["Location"]).content.decode()
    assert "Votre rendez-vous est confirmé" in done
    assert "mardi 24 mars 2026 à 9 h 00" in done
    assert "un justificatif de domicile." in done
    assert len(mail.outbox) == 1


def test_a_wrong_cryptogramme_books_nothing_and_keeps_what_was_typed(client, agenda):
    response = client.post(book_url(agenda), anonymous_data(captcha_1="FAUX"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "lea.martin@example.org" in page
    assert "error-summary" in page
    assert not Booking.objects.exists()


def test_logged_in_the_form_is_prefilled_without_cryptogramme_and_the_booking_is_the_account_s(
    citizen_client, citizen, agenda
):
    page = citizen_client.get(book_url(agenda)).content.decode()
    assert citizen.email in page and "captcha" not in page

    response = citizen_client.post(
        book_url(agenda),
        {"first_name": citizen.first_name, "last_name": citizen.last_name, "email": citizen.email},
    )

    assert response.status_code == 302
    assert Booking.objects.get().account == citizen
    home = citizen_client.get(reverse("home")).content.decode()
    assert "Mes rendez-vous" in home and "État civil" in home


def test_a_full_slot_gets_the_french_page_with_the_next_free_slots(client, agenda):
    SlotCounter.objects.create(agenda=agenda, starts_at=paris(2026, 3, 24, 9), taken=1)
    response = client.post(book_url(agenda), anonymous_data())
    page = response.content.decode()
    assert response.status_code == 409
    assert "Ce créneau vient d'être réservé" in page
    assert "mardi 24 mars 2026 à 9 h 15" in page
    assert not Booking.objects.exists()


def test_bad_input_is_refused_beside_the_field(client, agenda):
    response = client.post(book_url(agenda), anonymous_data(email="pas-une-adresse", phone="12"))
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_email_error"' in page and 'id="id_phone_error"' in page
    assert not Booking.objects.exists()


def test_the_mail_s_link_cancels_without_login_and_frees_the_slot(client, agenda):
    booking, token = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    url = reverse("appointments:manage", args=[token])
    page = client.get(url)
    assert page.status_code == 200 and page["X-Robots-Tag"] == "noindex, nofollow"

    refused = client.post(url, {})
    assert "error-summary" in refused.content.decode()
    client.post(url, {"confirm": "on"})

    booking.refresh_from_db()
    assert booking.state == Booking.State.CANCELLED
    assert SlotCounter.objects.get(agenda=agenda).taken == 0
    assert "Ce rendez-vous est annulé" in client.get(url).content.decode()


def test_the_link_moves_the_appointment(client, agenda):
    booking, token = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    days = client.get(reverse("appointments:move", args=[token])).content.decode()
    target = "2026-03-25T13:00Z"  # Wednesday 14:00 in Paris.
    assert f"?debut={target}" in days

    move = reverse("appointments:move", args=[token]) + f"?debut={target}"
    assert "mercredi 25 mars 2026 à 14 h 00" in client.get(move).content.decode()
    assert client.post(move).status_code == 302

    booking.refresh_from_db()
    assert booking.starts_at == paris(2026, 3, 25, 14)


def test_an_unknown_token_is_not_found(client, agenda):
    for name in ("manage", "done", "move", "ics"):
        assert client.get(reverse(f"appointments:{name}", args=["x" * 43])).status_code == 404


def test_the_ics_download_is_the_appointment(client, agenda):
    _booking, token = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 30, 9),
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    response = client.get(reverse("appointments:ics", args=[token]))
    assert response["Content-Type"].startswith("text/calendar")
    assert b"DTSTART:20260330T070000Z" in response.content


def test_mes_rendez_vous_shows_only_the_account_s_own(citizen_client, other_citizen, agenda):
    theirs, _ = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Eve", "INTRUSE", other_citizen.email),
        account=other_citizen,
    )
    assert citizen_client.get(reverse("appointments:mine", args=[theirs.pk])).status_code == 404
    assert "Eve" not in citizen_client.get(reverse("home")).content.decode()


def test_the_account_cancels_its_own_from_mes_rendez_vous(citizen_client, citizen, agenda):
    mine, _ = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Camille", "MARTIN", citizen.email),
        account=citizen,
    )
    citizen_client.post(reverse("appointments:mine", args=[mine.pk]), {"confirm": "on"})
    mine.refresh_from_db()
    assert mine.state == Booking.State.CANCELLED


def test_a_lost_link_is_mailed_again_under_a_new_token(client, agenda):
    booking, old = services.booking_create(
        agenda=agenda,
        starts_at=paris(2026, 3, 24, 9),
        contact=services.Contact("Léa", "MARTIN", "lea@example.org"),
    )
    response = client.post(
        reverse("appointments:lost_link"),
        {"email": "LEA@example.org", "captcha_0": "any", "captcha_1": "PASSED"},
    )
    assert "un nouveau lien" in response.content.decode()
    assert services.booking_for_token(old) is None
    nobody = client.post(
        reverse("appointments:lost_link"),
        {"email": "personne@example.org", "captcha_0": "any", "captcha_1": "PASSED"},
    )
    assert nobody.content.decode().count("un nouveau lien") == response.content.decode().count(
        "un nouveau lien"
    )


def test_a_booking_made_at_23_59_for_tomorrow_is_refused_by_the_page(client, agenda):
    with time_machine.travel(paris(2026, 3, 23, 23, 59), tick=False):
        response = client.get(book_url(agenda))
    assert "Ce créneau vient d'être réservé" in response.content.decode()
    assert paris(2026, 3, 24, 9) - paris(2026, 3, 23, 23, 59) < timedelta(hours=24)


def test_the_week_of_the_spring_change_shows_nine_o_clock_on_both_sides(client, agenda):
    url = reverse("appointments:agenda", args=[agenda.slug])
    page = client.get(url, {"semaine": "2026-03-28"}).content.decode()
    saturday = page.split('id="jour-20260328"')[1].split("</section>")[0]
    monday = page.split('id="jour-20260330"')[1].split("</section>")[0]
    # 9:00 in Paris: 8:00 UTC on Saturday (winter time), 7:00 UTC on Monday (summer time).
    assert "debut=2026-03-28T08:00Z" in saturday and ">9 h 00<" in saturday
    assert "debut=2026-03-30T07:00Z" in monday and ">9 h 00<" in monday
