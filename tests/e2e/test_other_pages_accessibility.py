"""Pages no journey goes through, each checked with axe in Chromium: the site pages, the
messages, a request waiting for the citizen, the password change, the catalogue search."""

import pytest
from django.core import mail
from playwright.sync_api import expect

from procedures import services
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.procedures.factories import bulky_waste, complete_answers

pytestmark = pytest.mark.e2e


@pytest.fixture
def waiting_request(transactional_db):
    citizen = UserFactory(identifier="demo", first_name="Camille")
    clerk = UserFactory(identifier="agent", is_staff=True)
    draft = services.request_draft_save(
        account=citizen,
        procedure=(procedure := bulky_waste()),
        member=None,
        answers=complete_answers(procedure, {"objets": "Canapé"}),
    )
    request = services.request_submit(citizen_request=draft, by=citizen)
    request = services.request_transition(citizen_request=request, name="start", by=clerk)
    return services.request_transition(
        citizen_request=request,
        name="ask_citizen",
        by=clerk,
        comment="Joignez une photo des objets.",
    )


def log_in(page, live_server):
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill("demo")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/aide/", "Aide"),
        ("/mentions-legales/", "Mentions légales"),
        ("/donnees-personnelles/", "Données personnelles"),
        ("/accessibilite/", "Accessibilité"),
        ("/services-en-ligne/?q=encombrants", "Services en ligne"),
        ("/compte/mot-de-passe-oublie/", "Mot de passe oublié"),
        ("/plan-du-site/", "Plan du site"),
        ("/n-existe-pas/", "Page introuvable"),
    ],
)
def test_public_pages_are_accessible(page, live_server, transactional_db, path, heading):
    bulky_waste()
    page.goto(live_server.url + path)
    expect(page.get_by_role("heading", level=1)).to_contain_text(heading)
    assert_accessible(page)


def test_a_waiting_request_its_reply_form_and_the_messages_are_accessible(
    page, live_server, waiting_request
):
    log_in(page, live_server)
    page.goto(live_server.url + f"/demandes/{waiting_request.pk}/")
    expect(page.get_by_text("Le service attend votre réponse")).to_be_visible()
    assert_accessible(page)
    page.get_by_role("button", name="Envoyer ma réponse").click()  # empty: error summary
    expect(page.get_by_role("alert")).to_contain_text("Écrivez un message ou joignez un document.")
    assert_accessible(page)
    page.get_by_label("Votre réponse au service").fill("Je viens au Guichet Unique jeudi.")
    page.get_by_role("button", name="Envoyer ma réponse").click()
    expect(page.get_by_text("Votre réponse est transmise au service.")).to_be_visible()
    expect(page.get_by_text("Étape 2 sur 4 : En cours de traitement")).to_be_visible()

    page.get_by_role("link", name="Mes messages").click()
    expect(page.get_by_role("heading", name="Mes messages", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Information").first.click()
    expect(page.get_by_text("Joignez une photo des objets.")).to_be_visible()
    assert_accessible(page)
    assert mail.outbox  # the same messages went by mail


def test_the_password_change_page_is_accessible(page, live_server, transactional_db):
    UserFactory(identifier="demo", first_name="Camille")
    log_in(page, live_server)
    page.goto(live_server.url + "/compte/mot-de-passe/")
    assert_accessible(page)
    page.get_by_role("button", name="Enregistrer le nouveau mot de passe").click()
    expect(page.get_by_role("alert")).to_be_visible()
    assert_accessible(page)


@pytest.mark.urls("tests.error_urls")
def test_the_csrf_failure_and_500_pages_are_the_portals_own(page, live_server, transactional_db):
    # A form sent without its CSRF cookie (as after a long pause or a cleared cookie).
    page.goto(live_server.url + "/compte/connexion/")
    page.context.clear_cookies()
    page.get_by_label("Utilisateur").fill("demo")
    page.get_by_label("Mot de passe", exact=True).fill("faux")
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Le formulaire n'a pas pu être envoyé"
    )
    expect(page.get_by_role("link", name="Retour à l'accueil")).to_be_visible()
    assert_accessible(page)

    page.goto(live_server.url + "/essai/panne/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Le service rencontre une erreur")
    expect(page.get_by_role("contentinfo").get_by_role("link", name="Plan du site")).to_be_visible()
    assert_accessible(page)


def test_nouveau_cryptogramme_works_without_javascript(browser, live_server, transactional_db):
    context = browser.new_context(locale="fr-FR", java_script_enabled=False)
    page = context.new_page()
    page.goto(live_server.url + "/compte/creer/")
    page.get_by_label("Nom", exact=True).fill("Lefèvre")
    before = page.locator("input[name=captcha_0]").input_value()
    page.get_by_role("button", name="Nouveau cryptogramme").click()
    expect(page.get_by_role("status")).to_contain_text("Un nouveau cryptogramme est affiché")
    expect(page.get_by_label("Nom", exact=True)).to_have_value("Lefèvre")
    assert page.locator("input[name=captcha_0]").input_value() != before
    expect(page.get_by_role("alert")).to_have_count(0)
    context.close()
