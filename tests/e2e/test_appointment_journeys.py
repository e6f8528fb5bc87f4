"""Appointments in a real browser: booking with and without an account, cancelling
through the mail's link, a passport for two people checked with a (fake) ANTS. Each
page goes through axe, the Nu checker and the 320 px reflow check; the anonymous
journey and the cancellation are made with the keyboard alone."""

import re
from datetime import time

import pytest
from django.core import mail
from playwright.sync_api import expect

from appointments.models import Agenda, Booking
from tests.appointments import factories
from tests.appointments.ants_fake import FakeAnts, serve
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

EVERY_DAY = range(7)
OPEN_ALL_DAY = ((time(8), time(20)),)


@pytest.fixture
def agenda(transactional_db):
    return factories.agenda(
        slug="etat-civil", weekdays=EVERY_DAY, periods=OPEN_ALL_DAY, slot_minutes=30
    )


def tab_to(page, locator, *, limit=80):
    """Press Tab until ``locator`` has the focus, as a keyboard user does."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if locator.evaluate("element => element === document.activeElement"):
            return
    raise AssertionError(f"{locator} jamais atteint au clavier")


def type_into(page, label: str, text: str):
    tab_to(page, page.get_by_label(label, exact=True))
    page.keyboard.type(text)


def first_slot(page):
    return page.locator(".slot-list a").first


def test_without_an_account_with_the_keyboard_alone(page, live_server, agenda):
    page.goto(live_server.url + "/rendez-vous/")
    expect(page.get_by_role("heading", name="Rendez-vous", level=1)).to_be_visible()
    assert_accessible(page)

    tab_to(page, page.get_by_role("link", name="État civil"))
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Choisissez un jour et une heure")).to_be_visible()
    assert_accessible(page)

    slot = first_slot(page)
    label = slot.inner_text()
    tab_to(page, slot)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Réserver ce rendez-vous", level=1)).to_be_visible()
    assert_accessible(page)

    # Submitted empty: the summary takes the focus, each field says what is missing.
    tab_to(page, page.get_by_role("button", name="Confirmer le rendez-vous"))
    page.keyboard.press("Enter")
    expect(page.locator(".error-summary")).to_be_focused()
    assert_accessible(page)

    type_into(page, "Prénom", "Léa")
    type_into(page, "Nom", "Martin")
    type_into(page, "Adresse électronique", "lea.martin@example.org")
    type_into(page, "Cryptogramme", "PASSED")
    tab_to(page, page.get_by_role("button", name="Confirmer le rendez-vous"))
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    expect(page.locator("main")).to_contain_text(re.sub(r"\s+", " ", label).strip())
    assert_accessible(page)
    booking = Booking.objects.get()
    assert booking.account is None and booking.email == "lea.martin@example.org"


def test_logged_in_the_form_is_prefilled_and_the_appointment_shows_on_accueil(
    page, live_server, agenda
):
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill(citizen.identifier)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Mes rendez-vous")).to_be_visible()

    page.goto(live_server.url + "/rendez-vous/etat-civil/")
    first_slot(page).click()
    expect(page.get_by_label("Adresse électronique")).to_have_value(citizen.email)
    expect(page.get_by_label("Cryptogramme")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()

    page.goto(live_server.url + "/")
    appointments = page.get_by_role("region", name="Mes rendez-vous")
    expect(appointments.get_by_role("link", name="État civil")).to_be_visible()
    assert_accessible(page)
    assert Booking.objects.get().account == citizen


def test_the_mail_s_link_cancels_with_the_keyboard(page, live_server, agenda):
    page.goto(live_server.url + "/rendez-vous/etat-civil/")
    first_slot(page).click()
    page.get_by_label("Prénom", exact=True).fill("Léa")
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Adresse électronique").fill("lea.martin@example.org")
    page.get_by_label("Cryptogramme", exact=True).fill("PASSED")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()
    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()

    [confirmation] = [m for m in mail.outbox if m.subject.startswith("Rendez-vous confirmé")]
    link = re.search(r"http\S+/rendez-vous/gerer/[\w-]+/", confirmation.body).group(0)
    assert confirmation.attachments[0][0] == "rendez-vous.ics"

    page.goto(live_server.url + re.sub(r"^https?://[^/]+", "", link))
    expect(page.get_by_role("heading", name="Mon rendez-vous", level=1)).to_be_visible()
    assert_accessible(page)

    tab_to(page, page.get_by_label("Je confirme l'annulation de ce rendez-vous"))
    page.keyboard.press("Space")
    tab_to(page, page.get_by_role("button", name="Annuler ce rendez-vous"))
    page.keyboard.press("Enter")

    expect(page.locator("main")).to_contain_text("Ce rendez-vous est annulé")
    assert_accessible(page)
    assert Booking.objects.get().state == Booking.State.CANCELLED


@pytest.fixture
def ants(settings):
    fake = FakeAnts(
        statuses={
            "VALIDE0001": {"status": "validated", "appointments": []},
            "VALIDE0002": {"status": "validated", "appointments": []},
            "CONSOMME01": {"status": "consumed", "appointments": []},
        }
    )
    server = serve(fake)
    settings.ANTS_API_URL = f"http://127.0.0.1:{server.server_port}/api"
    settings.ANTS_TIMEOUT_SECONDS = 2
    yield fake
    server.shutdown()


def test_a_passport_for_two_with_their_pre_application_numbers(page, live_server, ants):
    factories.agenda(
        slug="passeport",
        kind=Agenda.Kind.IDENTITY,
        weekdays=EVERY_DAY,
        periods=OPEN_ALL_DAY,
        desks=2,
    )
    page.goto(live_server.url + "/rendez-vous/passeport/")
    page.get_by_label("Nombre de personnes qui déposent un dossier").select_option("2")
    page.get_by_role("button", name="Voir les créneaux").click()
    expect(page.locator("main")).to_contain_text("Rendez-vous pour 2 personnes")
    assert_accessible(page)

    first_slot(page).click()
    page.get_by_label("Prénom", exact=True).fill("Maria")
    page.get_by_label("Nom", exact=True).fill("Santos")
    page.get_by_label("Adresse électronique").fill("maria@example.org")
    page.get_by_label("Numéro de pré-demande de la personne 1").fill("valide0001")
    page.get_by_label("Numéro de pré-demande de la personne 2").fill("CONSOMME01")
    page.get_by_label("Cryptogramme", exact=True).fill("PASSED")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()

    # The ANTS's refusal is beside the second number; nothing is booked.
    expect(page.locator(".error-summary")).to_be_focused()
    expect(page.locator("#id_application_2_error")).to_contain_text("déjà déposé en mairie")
    assert_accessible(page)
    assert not Booking.objects.exists()

    page.get_by_label("Numéro de pré-demande de la personne 2").fill("VALIDE0002")
    page.get_by_label("Cryptogramme", exact=True).fill("PASSED")
    page.get_by_role("button", name="Confirmer le rendez-vous").click()

    expect(page.get_by_role("heading", name="Votre rendez-vous est confirmé")).to_be_visible()
    expect(page.locator("main")).to_contain_text("VALIDE0001, VALIDE0002")
    assert_accessible(page)
    booking = Booking.objects.get()
    assert booking.people == 2 and booking.slot_count == 2
    asked = [seen.query["application_ids"] for seen in ants.seen if seen.path.endswith("/status")]
    assert ["VALIDE0001", "VALIDE0002"] in asked
