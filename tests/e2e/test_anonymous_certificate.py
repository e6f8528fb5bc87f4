"""A birth certificate requested without an account, in a real browser, each page checked by axe."""

import re

import pytest
from playwright.sync_api import expect

from procedures.models import Certificate, Procedure, Request
from tests.e2e.axe import assert_accessible
from tests.procedures.factories import ProcedureFactory, ThemeFactory

pytestmark = pytest.mark.e2e

CODE_RE = r"[2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3}"


@pytest.fixture
def birth_certificate(transactional_db):
    return ProcedureFactory(
        theme=ThemeFactory(title="État civil", slug="etat-civil"),
        title="Demande d'acte de naissance",
        slug="acte-de-naissance",
        summary="Copie intégrale ou extrait, envoyé par courrier.",
        kind=Procedure.Kind.CIVIL_STATUS,
        certificate=Certificate.BIRTH,
        account_required=False,
        captcha_required=True,
        concerns=Procedure.Concerns.NOBODY,
        service_name="Service de l'état civil",
    )


def fill_the_request(page, *, relationship: str, document: str):
    page.get_by_label(document, exact=True).check()
    page.get_by_label("Nombre d'exemplaires").fill("2")
    page.get_by_label(relationship, exact=True).check()
    page.get_by_label("Nom de naissance").fill("Martin")
    page.get_by_label("Prénoms", exact=True).fill("Léa Jeanne")
    page.get_by_label("Date de naissance").fill("1990-05-17")
    page.get_by_label("Premier parent : nom et prénoms").fill("Paul Martin")
    page.get_by_label("Madame", exact=True).check()
    page.get_by_label("Nom", exact=True).fill("Martin")
    page.get_by_label("Prénom", exact=True).fill("Léa")
    page.get_by_label("Adresse électronique").fill("lea.martin@example.org")
    page.get_by_label("Adresse (numéro et voie)").fill("4 Hauptstraße")
    page.get_by_label("Code postal").fill("10115")
    page.get_by_label("Commune").fill("Berlin")
    page.get_by_label("Pays").fill("Allemagne")
    page.get_by_label("Cryptogramme", exact=True).fill("PASSED")


@pytest.mark.needs_tool("espeak-ng")
def test_the_cryptogramme_spelled_in_french_plays_in_the_page(page, live_server, birth_certificate):
    """In a player with controls (espeak-ng: without it the page offers no sound)."""
    page.goto(f"{live_server.url}/actes/acte-de-naissance/")
    player = page.locator("audio[controls]")
    expect(player).to_have_accessible_name(re.compile("^Écouter le cryptogramme"))
    seconds = player.evaluate(
        """audio => new Promise((resolve, reject) => {
             audio.addEventListener("loadedmetadata", () => resolve(audio.duration));
             audio.addEventListener("error", () => reject(new Error("son illisible")));
             audio.preload = "metadata"; audio.load();
           })"""
    )
    assert seconds > 10  # five characters with pauses, said twice


def test_a_birth_certificate_is_requested_and_followed_without_an_account(
    page, live_server, birth_certificate
):
    page.goto(f"{live_server.url}/actes/acte-de-naissance/")
    expect(page.get_by_role("heading", name="Demande d'acte de naissance", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="Nouveau cryptogramme")).to_be_visible()
    expect(page.get_by_label("Pays")).to_have_value("France")
    assert_accessible(page)

    # A third party cannot have a full copy: the reason is given beside the field.
    fill_the_request(page, relationship="Autre (tiers)", document="Copie intégrale")
    page.get_by_role("button", name="Envoyer ma demande").click()
    summary = page.locator(".error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("procureur de la République")
    expect(page.get_by_role("group", name="Type de document")).to_contain_text(
        "Choisissez un extrait sans filiation"
    )
    assert Request.objects.count() == 0
    assert_accessible(page)

    # The person asks for their own extract with filiation.
    fill_the_request(page, relationship="La personne elle-même", document="Extrait avec filiation")
    page.get_by_role("button", name="Envoyer ma demande").click()
    expect(page.get_by_role("heading", name="Votre demande est envoyée", level=1)).to_be_visible()
    sent = Request.objects.get()
    assert sent.account is None and re.fullmatch(CODE_RE, sent.tracking_code)
    main = page.locator("main")
    expect(main).to_contain_text(sent.number)
    expect(main).to_contain_text(sent.tracking_code)
    expect(main).to_contain_text("lea.martin@example.org")
    tracking_link = page.get_by_role("link", name=f"{live_server.url}/suivi/{sent.tracking_code}/")
    expect(tracking_link).to_be_visible()
    assert_accessible(page)

    tracking_link.click()
    expect(page).to_have_url(f"{live_server.url}/suivi/{sent.tracking_code}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(sent.number)
    expect(main).to_contain_text("Étape 1 sur 4 : Reçue")
    expect(main).to_contain_text("Extrait avec filiation")
    expect(
        page.get_by_role("link", name=re.compile("Ouvrir le PDF de la demande"))
    ).to_have_attribute("href", f"/suivi/{sent.tracking_code}/pdf/")
    assert_accessible(page)

    # The code read out on the phone, typed in lower case without dashes, opens it too.
    page.goto(f"{live_server.url}/suivi/{sent.tracking_code.replace('-', '').lower()}/")
    expect(page.get_by_role("heading", level=1)).to_contain_text(sent.number)
