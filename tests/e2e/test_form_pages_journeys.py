"""The demo's three rewritten procedures in Chromium, with JavaScript on and off: pages,
conditions shown and hidden (announced to screen readers), a repeated block, the street
register, the récapitulatif by page. Every new page state is checked with axe and at
320 px; the HTML goes to the Nu checker and the CSP is watched (tests/e2e/conftest.py)."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from procedures.models import Request, RequestState
from tests.e2e.axe import assert_accessible
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, keep_html, watch_csp_violations
from tests.e2e.test_procedure_journeys import PASSWORDS, demo_data  # noqa: F401 fixture

pytestmark = pytest.mark.e2e

MOVE = "Déménagement ou emménagement"


@pytest.fixture(params=[True, False], ids=["js", "sans-js"])
def javascript(request):
    return request.param


@pytest.fixture
def form_page(browser, visited_documents, javascript):
    """A page with JavaScript, or without: then none of the portal's scripts is served
    (what a browser without JavaScript runs of our pages), while axe, which the test
    injects, still runs (Chromium with JavaScript off would never answer it)."""
    context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    if not javascript:
        context.route("**/static/js/**", lambda route: route.abort())
    violations: list[str] = []
    watch_csp_violations(context, violations)
    page = context.new_page()
    page.on("response", keep_html(visited_documents))
    yield page
    context.close()
    assert not violations, "Violations de la CSP :\n" + "\n".join(violations)


def log_in(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill("demo")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORDS["demo"])
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def step(page, text: str):
    expect(page.get_by_text(text, exact=True).first).to_be_visible()
    assert_accessible(page)


def test_the_parking_permit_in_three_pages(form_page, live_server, demo_data, javascript):  # noqa: F811
    page = form_page
    log_in(page, live_server)
    page.goto(live_server.url + "/services-en-ligne/demarche/permis-de-stationnement/")
    step(page, "Étape 1 sur 3 : Votre demande")
    volume = page.get_by_label("Volume du camion")
    if javascript:
        # Hidden until the move is chosen, then shown and announced.
        expect(volume).to_be_hidden()
        page.get_by_label(MOVE).check()
        expect(volume).to_be_visible()
        expect(page.locator("[data-conditions-live]")).to_contain_text(
            "Question affichée : Volume du camion"
        )
        assert_accessible(page)
        page.get_by_label("Benne à gravats").check()
        expect(volume).to_be_hidden()
        page.get_by_label(MOVE).check()
    else:
        # Without JavaScript the question is there with its condition in words.
        expect(volume).to_be_visible()
        expect(page.get_by_text("Seulement si « Motif » est égal à")).to_be_visible()
        page.get_by_label(MOVE).check()
    volume.fill("20")
    page.get_by_label("Du", exact=True).fill(in_days(20))
    page.get_by_label("Au", exact=True).fill(in_days(19))
    page.get_by_role("button", name="Suivant").click()
    # « Au » before « Du »: the error next to the field and in the summary on top.
    expect(page.get_by_role("alert")).to_contain_text("Cette date ne peut pas être avant « Du ».")
    assert_accessible(page)
    page.get_by_label("Au", exact=True).fill(in_days(22))
    page.get_by_role("button", name="Suivant").click()

    step(page, "Étape 2 sur 3 : L'emplacement")
    page.get_by_label("Numéro", exact=True).fill("8 bis")
    page.get_by_label("Voie", exact=True).select_option(label="Rue des Tilleuls")
    page.get_by_label("Longueur occupée").fill("10")
    page.get_by_role("button", name="Suivant").click()

    step(page, "Étape 3 sur 3 : Le véhicule")
    page.get_by_label("Immatriculation (véhicule 1)").fill("ab-123-cd")
    page.get_by_role("button", name="Ajouter un véhicule").click()
    expect(page.get_by_role("group", name="Véhicule 2")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Immatriculation (véhicule 2)").fill("EF-456-GH")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()

    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    assert_accessible(page)
    for title in ("Votre demande", "L'emplacement", "Le véhicule"):
        expect(page.get_by_role("heading", name=title, level=2)).to_be_visible()
    expect(page.get_by_text("8 bis Rue des Tilleuls, 99999 Villeneuve-sur-Example")).to_be_visible()
    expect(page.get_by_text("Véhicule 2 — Immatriculation", exact=True)).to_be_visible()
    page.get_by_role("link", name="Modifier cette page : Le véhicule").click()
    step(page, "Étape 3 sur 3 : Le véhicule")
    expect(page.get_by_label("Immatriculation (véhicule 2)")).to_have_value("EF-456-GH")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Votre demande est envoyée")
    sent = Request.objects.filter(procedure__slug="permis-de-stationnement").latest("pk")
    assert sent.state == RequestState.SUBMITTED
    assert [item["immatriculation"] for item in sent.answers["vehicules"]] == [
        "AB-123-CD",
        "EF-456-GH",
    ]


def test_the_room_booking_asks_an_association_for_its_siret_and_statutes(
    form_page,
    live_server,
    demo_data,  # noqa: F811
    javascript,
):
    page = form_page
    log_in(page, live_server)
    page.goto(live_server.url + "/services-en-ligne/demarche/reservation-de-salle/")
    step(page, "Étape 1 sur 2 : Le demandeur")
    siret = page.get_by_label("SIRET")
    if javascript:
        expect(siret).to_be_hidden()
    # The keyboard alone: the radio reached and ticked without the mouse.
    page.get_by_label("Une association").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("Une association")).to_be_checked()
    expect(siret).to_be_visible()
    page.get_by_label("Nom de l'association").fill("Les Amis du Parc")
    siret.fill("732 829 320 00075")
    siret.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("Ce numéro SIRET n'existe pas")
    assert_accessible(page)
    page.get_by_label("SIRET").fill("732 829 320 00074")
    page.get_by_role("button", name="Suivant").click()
    step(page, "Étape 2 sur 2 : La réservation")
    expect(page.get_by_label("Statuts de l'association")).to_be_visible()


def test_the_problem_report_asks_the_lamp_number_for_public_lighting(
    form_page,
    live_server,
    demo_data,  # noqa: F811
    javascript,
):
    page = form_page
    log_in(page, live_server)
    page.goto(live_server.url + "/services-en-ligne/demarche/signaler-un-probleme/")
    step(page, "Étape 1 sur 1 : Votre signalement")
    lamp = page.get_by_label(re.compile("^Numéro du lampadaire"))
    if javascript:
        expect(lamp).to_be_hidden()
    page.get_by_label("Éclairage public").check()
    expect(lamp).to_be_visible()
    lamp.fill("EP-042")
    page.get_by_label("Adresse, si votre voie n'est pas dans la liste").fill("Parc des Sports")
    page.get_by_label("Description").fill("Le lampadaire ne s'allume plus.")
    page.get_by_role("button", name="Continuer vers le récapitulatif").click()
    expect(page.get_by_role("heading", name="Récapitulatif", level=1)).to_be_visible()
    assert_accessible(page)
    expect(page.get_by_text("EP-042")).to_be_visible()
    expect(page.get_by_text("Parc des Sports")).to_be_visible()
