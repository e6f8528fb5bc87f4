"""The account journeys of a citizen, in a real browser, each page checked with axe."""

import re
from datetime import date

import pytest
from django.core import mail
from playwright.sync_api import expect

from accounts.models import AccountStatus, Civility, SecurityQuestion, User
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.e2e

NEW_PASSWORD = "Cl@ir-de-Lune-2026"
TABS = ["Accueil", "Compte", "Services en ligne", "Demandes", "Paiements"]
PENDING_NOTICE = "Votre compte est en attente de validation par la mairie."


def mail_to(address: str, subject_part: str):
    """The one message sent to ``address`` whose subject contains ``subject_part``."""
    found = [m for m in mail.outbox if address in m.to and subject_part in m.subject]
    sent = [(m.to, m.subject) for m in mail.outbox]
    assert len(found) == 1, f"un mail « {subject_part} » attendu pour {address}, envoyés : {sent}"
    return found[0]


def line_value(body: str, label: str) -> str:
    match = re.search(rf"^{re.escape(label)} : (\S+)\s*$", body, re.MULTILINE)
    assert match, f"ligne « {label} : … » introuvable dans le mail :\n{body}"
    return match.group(1)


def home(page, live_server):
    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="Connexion", level=2)).to_be_visible()


def log_in_from_home(page, live_server, identifier: str, password: str):
    home(page, live_server)
    page.get_by_label("Utilisateur").fill(identifier)
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_role("button", name="Connexion").click()


def expect_tabs(page):
    menu = page.get_by_role("navigation", name="Menu principal")
    for tab in TABS:
        expect(menu.get_by_role("link", name=tab, exact=True)).to_be_visible()


def open_registration(page, live_server):
    home(page, live_server)
    page.get_by_role("link", name="Je souhaite créer un compte").click()
    expect(page.get_by_role("heading", name="Créer un compte", level=1)).to_be_visible()


def fill_identity(page):
    page.get_by_label("Nom", exact=True).fill("Lefèvre-Dupont")
    page.get_by_label("Prénom", exact=True).fill("Hélène")
    page.get_by_label("Adresse électronique").fill("helene.lefevre@example.org")


def fill_the_rest(page):
    page.get_by_label("Madame", exact=True).check()
    page.get_by_label("Date de naissance").fill("1990-02-03")
    page.get_by_label("Téléphone").fill("06 12 34 56 78")
    page.get_by_label("Adresse (numéro et voie)").fill("3 place de l'Église")
    page.get_by_label("Code postal").fill("99999")
    page.get_by_label("Commune").fill("Villeneuve-sur-Example")
    page.get_by_label("Question de sécurité", exact=True).select_option(
        label=str(SecurityQuestion.PRIMARY_SCHOOL.label)
    )
    page.get_by_label("Réponse à la question de sécurité").fill("Jules Ferry")


def fill_passwords_and_captcha(page, password: str, confirmation: str):
    page.get_by_label("Mot de passe", exact=True).fill(password)
    page.get_by_label("Confirmation du mot de passe").fill(confirmation)
    page.get_by_label("Cryptogramme", exact=True).fill("PASSED")


def test_create_an_account_then_log_in(live_server, page):
    home(page, live_server)
    assert_accessible(page)

    open_registration(page, live_server)
    assert_accessible(page)
    fill_identity(page)
    fill_the_rest(page)
    fill_passwords_and_captcha(page, NEW_PASSWORD, NEW_PASSWORD)
    page.get_by_role("button", name="Confirmer et continuer").click()

    expect(page.get_by_role("heading", name="Votre compte est créé", level=1)).to_be_visible()
    expect(page.get_by_text("Votre identifiant personnel est en route")).to_contain_text(
        "helene.lefevre@example.org"
    )
    assert_accessible(page)

    message = mail_to("helene.lefevre@example.org", "votre identifiant personnel")
    identifier = line_value(message.body, "Votre identifiant")
    account = User.objects.get(identifier=identifier)
    assert account.status == AccountStatus.PENDING
    assert account.civility == Civility.MADAME
    assert account.last_name == "LEFÈVRE-DUPONT"
    assert account.birth_date == date(1990, 2, 3)

    log_in_from_home(page, live_server, identifier, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Bonjour Hélène", level=1)).to_be_visible()
    expect_tabs(page)
    expect(page.get_by_text(PENDING_NOTICE)).to_be_visible()
    assert_accessible(page)


def test_registration_errors_are_summarised_and_values_kept(live_server, page):
    open_registration(page, live_server)
    fill_identity(page)
    fill_passwords_and_captcha(page, NEW_PASSWORD, NEW_PASSWORD + "x")
    page.get_by_role("button", name="Confirmer et continuer").click()

    summary = page.get_by_role("alert")
    expect(summary).to_be_visible()
    expect(summary).to_contain_text("Le formulaire contient")
    expect(summary.get_by_role("link", name="Confirmation du mot de passe :")).to_contain_text(
        "Les deux mots de passe ne sont pas identiques."
    )
    for label in ("Civilité", "Date de naissance", "Téléphone", "Code postal", "Commune"):
        expect(summary.get_by_role("link", name=f"{label} :")).to_be_visible()
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Erreur"))

    phone = page.get_by_label("Téléphone")
    expect(phone).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#id_phone_error")).to_be_visible()
    expect(page.locator("#id_phone_error")).to_contain_text("obligatoire")
    expect(phone).to_have_attribute("aria-describedby", re.compile(r"\bid_phone_error\b"))
    expect(page.locator("#id_password2_error")).to_contain_text("ne sont pas identiques")
    expect(page.locator("#id_civility_error")).to_be_visible()

    expect(page.get_by_label("Nom", exact=True)).to_have_value("Lefèvre-Dupont")
    expect(page.get_by_label("Prénom", exact=True)).to_have_value("Hélène")
    expect(page.get_by_label("Adresse électronique")).to_have_value("helene.lefevre@example.org")
    expect(page.get_by_label("Mot de passe", exact=True)).to_have_value("")
    expect(page.get_by_label("Confirmation du mot de passe")).to_have_value("")
    assert_accessible(page)

    # Correcting the form is enough: the account is created.
    fill_the_rest(page)
    fill_passwords_and_captcha(page, NEW_PASSWORD, NEW_PASSWORD)
    page.get_by_role("button", name="Confirmer et continuer").click()
    expect(page.get_by_role("heading", name="Votre compte est créé", level=1)).to_be_visible()
    assert User.objects.filter(email="helene.lefevre@example.org").count() == 1


def test_lost_password(live_server, page):
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")

    home(page, live_server)
    page.get_by_label("Utilisateur").fill(citizen.identifier)
    page.get_by_role("link", name="mot de passe oublié").click()
    # The identifier is posted, never put in the address (histories, access logs).
    expect(page).to_have_url(re.compile(r"/compte/mot-de-passe-oublie/$"))
    expect(page.get_by_text(f"Identifiant : {citizen.identifier}")).to_be_visible()
    expect(page.get_by_text(str(SecurityQuestion.FIRST_PET.label))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Votre réponse").fill("  medor ")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie", level=1)).to_be_visible()
    assert_accessible(page)

    message = mail_to(citizen.email, "votre mot de passe temporaire")
    temporary = line_value(message.body, "Mot de passe temporaire")

    log_in_from_home(page, live_server, citizen.identifier, temporary)
    expect(page.get_by_role("heading", name="Changer de mot de passe", level=1)).to_be_visible()
    expect(page).to_have_url(re.compile(r"/compte/mot-de-passe/$"))
    expect(page.get_by_text("mot de passe temporaire")).to_be_visible()
    expect(page.get_by_role("navigation", name="Menu principal")).to_have_count(0)
    assert_accessible(page)

    page.get_by_label("Nouveau mot de passe", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirmation du nouveau mot de passe").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Votre mot de passe a été changé.")
    expect_tabs(page)
    assert_accessible(page)
    mail_to(citizen.email, "votre mot de passe a été changé")

    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_role("heading", name="Connexion", level=2)).to_be_visible()
    log_in_from_home(page, live_server, citizen.identifier, NEW_PASSWORD)
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect_tabs(page)


def test_lost_password_from_its_own_page(live_server, page):
    """The link followed before typing the identifier: the page's own form asks for it."""
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")

    home(page, live_server)
    page.get_by_role("link", name="mot de passe oublié").click()
    expect(page.get_by_role("heading", name="Mot de passe oublié", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Continuer").click()
    expect(page.get_by_role("alert")).to_contain_text("Utilisateur : Ce champ est obligatoire.")
    assert_accessible(page)

    page.get_by_label("Utilisateur").fill(citizen.identifier)
    page.get_by_role("button", name="Continuer").click()
    expect(page).to_have_url(re.compile(r"/compte/mot-de-passe-oublie/$"))
    expect(page.get_by_text(f"Identifiant : {citizen.identifier}")).to_be_visible()
    expect(page.get_by_text(str(SecurityQuestion.FIRST_PET.label))).to_be_visible()
    assert_accessible(page)

    page.get_by_label("Votre réponse").fill("Médor")
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", name="Vérifiez votre messagerie", level=1)).to_be_visible()
    mail_to(citizen.email, "votre mot de passe temporaire")


def test_keyboard_only(live_server, page):
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    home(page, live_server)
    assert_accessible(page)

    page.keyboard.press("Tab")
    skip_link = page.get_by_role("link", name="Aller au contenu")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_be_in_viewport()
    page.keyboard.press("Enter")
    expect(page.get_by_role("main")).to_be_focused()

    page.keyboard.press("Tab")
    expect(page.get_by_label("Utilisateur")).to_be_focused()
    page.keyboard.type(citizen.identifier)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Mot de passe", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Connexion")).to_be_focused()
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()
    expect_tabs(page)
    assert_accessible(page)
