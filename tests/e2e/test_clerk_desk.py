"""The clerk's desk and « Statistiques » in Chromium, on the demo's data: Sacha
(« Service Scolaire et périscolaire ») takes a request from « Non attribuées », leaves
a note, gives it to Camille, then reads the figures; the billing clerk reads the
invoices' per régie, Émilie (« Service État civil ») her agendas' appointments; axe,
the 320 px reflow and the Nu checker on each page, the CSP watched (no inline style in
the charts)."""

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from demo.people import DEMO_PASSWORDS
from procedures.models import Request, RequestNote
from tests.e2e.axe import assert_accessible

pytestmark = pytest.mark.e2e
NOTE = "Appelé la famille, attend le certificat de radiation (test navigateur)."


@pytest.fixture
def demo(transactional_db, settings):
    settings.STAFF_TWO_FACTOR = False
    call_command("seed_demo", stdout=StringIO())


def log_in(page, live_server, identifier):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Identifiant").fill(identifier)
    page.get_by_label("Mot de passe").fill(DEMO_PASSWORDS[identifier])
    page.get_by_role("button", name=re.compile("Connexion")).click()


def test_a_clerk_takes_notes_and_hands_over_a_request_then_reads_the_figures(
    page, live_server, demo
):
    log_in(page, live_server, "scolaire")
    content = page.locator("#content-main")
    content.get_by_role("link", name="Demandes", exact=True).click()
    page.get_by_role("link", name="Non attribuées").click()
    expect(page.locator("#result_list")).to_be_visible()
    assert_accessible(page)
    page.locator("#result_list tbody th a").first.click()
    number = page.locator("h2").first.inner_text()  # noqa: F841 the page is a request's

    desk = page.get_by_role("region", name="Attribution", exact=True)
    desk.get_by_role("button", name="Je m'en occupe").click()
    expect(desk).to_contain_text("Vous vous occupez de cette demande.")
    assert_accessible(page)

    notes = page.get_by_role("region", name="Notes internes")
    notes.get_by_label("Nouvelle note (interne, jamais envoyée au demandeur)").fill(NOTE)
    notes.get_by_role("button", name="Enregistrer la note").click()
    expect(page.get_by_role("region", name="Notes internes")).to_contain_text(NOTE)
    assert_accessible(page)

    desk = page.get_by_role("region", name="Attribution", exact=True)
    desk.get_by_label("Attribuer à").select_option(label="Camille CANTINE")
    desk.get_by_role("button", name="Attribuer", exact=True).click()
    expect(page.get_by_role("region", name="Attribution", exact=True)).to_contain_text(
        "Attribuée à Camille CANTINE."
    )
    expect(page.get_by_role("table", name="Historique des attributions")).to_contain_text(
        "Attribution"
    )
    assert_accessible(page)
    assert Request.objects.filter(assignee__identifier="cantine", notes__text=NOTE).exists()
    assert RequestNote.objects.filter(text=NOTE, author__identifier="scolaire").count() == 1

    page.goto(live_server.url + "/admin/")
    page.get_by_role(
        "link", name="Statistiques : demandes, délais, factures et rendez-vous"
    ).click()
    expect(page.get_by_role("heading", name="Demandes", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Demandes reçues", exact=True)).to_be_visible()
    expect(page.get_by_role("table", name="Demandes reçues : les nombres")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Du", exact=True).fill("2026-12-31")
    page.get_by_label("Au", exact=True).fill("2026-01-01")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_text("Le dernier jour précède le premier.").first).to_be_visible()
    assert_accessible(page)


def test_the_billing_clerk_reads_the_invoices_figures(page, live_server, demo):
    log_in(page, live_server, "regie")
    page.get_by_role(
        "link", name="Statistiques : demandes, délais, factures et rendez-vous"
    ).click()
    page.get_by_label("Du", exact=True).fill("2024-01-01")
    page.get_by_label("Au", exact=True).fill("2026-12-31")
    page.get_by_role("button", name="Afficher").click()
    expect(
        page.get_by_role("img", name="Factures émises et leur paiement", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("heading", name="Demandes", exact=True)).to_have_count(0)
    assert_accessible(page)


def test_a_service_reads_the_appointments_of_its_agendas(page, live_server, demo):
    log_in(page, live_server, "etatcivil")
    page.get_by_role(
        "link", name="Statistiques : demandes, délais, factures et rendez-vous"
    ).click()
    today = timezone.localdate()
    page.get_by_label("Du", exact=True).fill(f"{today - timedelta(days=31):%Y-%m-%d}")
    page.get_by_label("Au", exact=True).fill(f"{today:%Y-%m-%d}")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("heading", name="Rendez-vous", exact=True)).to_be_visible()
    expect(page.get_by_role("img", name="Rendez-vous et absences", exact=True)).to_be_visible()
    table = page.get_by_role("table", name="Rendez-vous et absences : les nombres")
    civil = table.get_by_role("row", name=re.compile("^État civil : mariage"))
    # Taken, « Présent », « Absent », cancelled, the share of no-shows (1 of 5 noted).
    expect(civil.get_by_role("cell")).to_have_text(["6", "4", "1", "1", "20,0"])
    expect(table).not_to_contain_text("Urbanisme")  # « Service Voirie »'s agenda
    assert_accessible(page)
