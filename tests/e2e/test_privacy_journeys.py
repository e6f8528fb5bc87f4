"""« Télécharger mes données » and « Fermer mon compte » in a real browser, each page
checked with axe; the closure form is used with the keyboard alone."""

import json
import zipfile

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import User
from procedures.models import Request
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, ClerkFactory, UserFactory
from tests.privacy.conftest import make_full

pytestmark = pytest.mark.e2e


@pytest.fixture
def full(transactional_db, settings):
    settings.PAYMENT_PROVIDER = "simulated"
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    return make_full(citizen, ClerkFactory())


def log_in(page, live_server, identifier: str):
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()


def open_account_tab(page):
    page.get_by_role("navigation", name="Menu principal").get_by_role(
        "link", name="Compte", exact=True
    ).click()
    expect(page.get_by_role("heading", name="Mes données personnelles")).to_be_visible()
    assert_accessible(page)


def test_the_citizen_prepares_then_downloads_the_archive(page, live_server, full, tmp_path):
    log_in(page, live_server, full.citizen.identifier)
    open_account_tab(page)
    page.get_by_role("link", name="Télécharger mes données").click()
    expect(page.get_by_role("heading", name="Télécharger mes données", level=1)).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name="Préparer l'archive de mes données").click()
    expect(page.get_by_text("Votre archive est prête", exact=False).first).to_be_visible()
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Télécharger l'archive").click()
    download = download_info.value
    assert download.suggested_filename.startswith(f"mes-donnees-{full.citizen.identifier}-")
    target = tmp_path / "archive.zip"
    download.save_as(target)
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("donnees.json"))
        assert data["compte"]["identifier"] == full.citizen.identifier
        summary = archive.read("resume.html").decode()

    # The summary itself is read in a browser, from the archive (no CSP): checked too, in a
    # blank page rather than over the portal's page, whose CSP would refuse its <style>.
    page.goto("about:blank")
    page.set_content(summary)
    expect(page.get_by_role("heading", name="Mes données — Votre espace citoyen")).to_be_visible()
    assert_accessible(page)


def test_the_citizen_closes_the_account_with_the_keyboard(page, live_server, full):
    log_in(page, live_server, full.citizen.identifier)
    open_account_tab(page)
    page.get_by_role("link", name="Fermer mon compte").click()
    expect(page.get_by_role("heading", name="Fermer mon compte", level=1)).to_be_visible()
    expect(page.get_by_role("heading", name="Vos demandes en cours")).to_be_visible()
    expect(page.get_by_text(full.sent.number, exact=False)).to_be_visible()
    assert_accessible(page)

    # Sent empty: the summary on top, each error next to its field.
    page.get_by_role("button", name="Fermer définitivement mon compte").click()
    summary = page.get_by_role("alert").filter(has_text="Le formulaire contient 2 erreurs")
    expect(summary).to_be_visible()
    expect(page.locator("#id_password_error")).to_contain_text("Saisissez votre mot de passe.")
    assert_accessible(page)
    assert User.objects.filter(pk=full.citizen.pk).exists()

    # With the keyboard alone: the summary's link leads to the field.
    summary.get_by_role("link", name="Mot de passe").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_label("J'accepte l'annulation de mes demandes en cours")).to_be_focused()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Fermer définitivement mon compte")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Votre compte est fermé", level=1)).to_be_visible()
    assert_accessible(page)
    assert not User.objects.filter(pk=full.citizen.pk).exists()
    assert list(Request.objects.values_list("pk", flat=True)) == [full.civil_status.pk]
    assert any(m.subject == "Votre compte est fermé" for m in mail.outbox)
