"""The 404, 403, CSRF-failure and 500 pages are the portal's own, in French with the site's
header, a way home and the footer, as in production (pytest-django runs with DEBUG off)."""

import pytest
from django.db import connections
from django.test import Client, RequestFactory

from citizen_portal.errors import server_error

pytestmark = pytest.mark.urls("tests.error_urls")


def assert_portal_page(response, status: int, heading: str) -> str:
    assert response.status_code == status
    page = response.content.decode()
    assert '<html lang="fr">' in page
    assert f"<h1>{heading}</h1>" in page
    assert 'class="site-header"' in page and 'class="site-footer"' in page
    assert "Retour à l'accueil" in page
    assert 'href="/plan-du-site/"' in page
    assert "Votre espace citoyen" in page
    return page


@pytest.mark.django_db
def test_a_missing_page_is_the_portals_404(client, settings):
    assert not settings.DEBUG
    response = client.get("/n-existe-pas/")
    page = assert_portal_page(response, 404, "Page introuvable")
    assert "<title>Page introuvable — Votre espace citoyen" in page


@pytest.mark.django_db
def test_a_refused_page_is_the_portals_403(client):
    assert_portal_page(client.get("/essai/interdit/"), 403, "Accès refusé")


@pytest.mark.django_db
def test_a_form_without_its_csrf_token_gets_the_portals_page_in_french(citizen):
    browser = Client(enforce_csrf_checks=True)
    response = browser.post("/compte/connexion/", {"username": citizen.identifier})
    page = assert_portal_page(response, 403, "Le formulaire n'a pas pu être envoyé")
    assert "Rien n'a été enregistré" in page
    assert "CSRF verification failed" not in page


@pytest.mark.django_db
def test_a_crash_is_the_portals_500():
    browser = Client(raise_request_exception=False)
    page = assert_portal_page(browser.get("/essai/panne/"), 500, "Le service rencontre une erreur")
    assert "panne voulue" not in page  # nothing of the error reaches the citizen


def test_the_500_page_renders_without_the_database(monkeypatch):
    def no_database(*args, **kwargs):
        raise AssertionError("la page 500 ne doit pas toucher la base de données")

    for connection in connections.all():
        monkeypatch.setattr(connection, "cursor", no_database)
        monkeypatch.setattr(connection, "ensure_connection", no_database)
    response = server_error(RequestFactory().get("/"))
    assert_portal_page(response, 500, "Le service rencontre une erreur")
