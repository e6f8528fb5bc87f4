"""« S'identifier avec FranceConnect » in a real browser, through the simulated provider of
the demo (the portal's client talks to it over HTTP as to FranceConnect): a first visit
creates a validated account, the identity is read-only on « Modifier », logout leaves
both, and the next visit logs straight in. Every page checked with axe and at 320 px."""

import re

import pytest
from playwright.sync_api import expect

from franceconnect.models import FranceConnectLink
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e

BUTTON = "S’identifier avec FranceConnect"


@pytest.fixture
def simulated_franceconnect(transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_CLIENT_ID = ""
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = True  # the live server runs with DEBUG off


def through_the_simulated_provider(page, name: str):
    expect(page.get_by_role("heading", name="FranceConnect (simulation)", level=1)).to_be_visible()
    page.get_by_label(name).check()
    page.get_by_role("button", name="Continuer sur le portail").click()


def test_a_first_visit_then_logout_of_both_then_a_straight_login(
    page, live_server, simulated_franceconnect
):
    page.goto(live_server.url + "/")
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    about = page.get_by_role("link", name="Qu’est-ce que FranceConnect ?")
    expect(about).to_have_attribute("target", "_blank")
    expect(about).to_have_attribute("title", "Qu’est-ce que FranceConnect ? - nouvelle fenêtre")
    assert_accessible(page)

    button.click()
    assert_accessible(page)
    through_the_simulated_provider(page, "Angela Claire Louise DUBOIS")

    expect(
        page.get_by_role("heading", name="Première connexion avec FranceConnect")
    ).to_be_visible()
    expect(page.get_by_text("Angela Claire Louise", exact=True)).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Téléphone").fill("06 11 22 33 44")
    page.get_by_label("Adresse (numéro et voie)").fill("4 rue du Marché")
    page.get_by_label("Code postal").fill("123")
    page.get_by_label("Commune").fill("Villeneuve-sur-Example")
    page.get_by_role("button", name="Créer mon compte").click()
    expect(page.get_by_text("Le code postal comporte 5 chiffres.").first).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Code postal").fill("99999")
    page.get_by_role("button", name="Créer mon compte").click()

    expect(page.get_by_text(re.compile("Votre compte est créé et validé"))).to_be_visible()
    assert_accessible(page)
    account = FranceConnectLink.objects.get().account
    assert account.is_validated and account.last_name == "DUBOIS"

    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Compte").click()
    expect(
        page.get_by_text(re.compile("Votre identité est certifiée par FranceConnect"))
    ).to_be_visible()
    page.get_by_role("link", name=re.compile("^Modifier")).first.click()
    expect(page.get_by_label("Nom", exact=True)).to_be_disabled()
    expect(page.get_by_label("Téléphone")).to_be_enabled()
    assert_accessible(page)

    page.get_by_role("button", name="Se déconnecter").click()
    expect(
        page.get_by_text("Vous êtes déconnecté de votre espace citoyen et de FranceConnect.")
    ).to_be_visible()

    page.get_by_role("button", name=BUTTON).click()
    through_the_simulated_provider(page, "Angela Claire Louise DUBOIS")
    expect(page.get_by_role("button", name="Se déconnecter")).to_be_visible()
    assert FranceConnectLink.objects.count() == 1


def test_the_registration_page_offers_the_button_too(page, live_server, simulated_franceconnect):
    page.goto(live_server.url + "/compte/creer/")
    expect(page.get_by_role("button", name=BUTTON)).to_be_visible()
    assert_accessible(page)
