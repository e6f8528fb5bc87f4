"""Staff log in to the admin in a real browser: « S'identifier avec ProConnect » through the
simulated ProConnect of the demo (the portal's client talks to it over HTTP as to
ProConnect), logout of both; and the French message of a directory that does not answer.
Every page checked with axe and at 320 px (and by the Nu checker at the session's end)."""

import re

import pytest
from playwright.sync_api import expect

from staff_login.texts import DIRECTORY_UNAVAILABLE
from tests.e2e.axe import assert_accessible
from tests.factories import ClerkFactory, role_group

pytestmark = pytest.mark.e2e

BUTTON = "S'identifier avec ProConnect"


@pytest.fixture
def simulated_proconnect(transactional_db, settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.PROCONNECT_CLIENT_ID = ""
    settings.PROCONNECT_SIMULATED = True
    settings.PROCONNECT_ALLOW_SIMULATED = True  # the live server runs with DEBUG off
    settings.STAFF_TWO_FACTOR = False
    clerk = ClerkFactory(email="scolaire@mairie.example", first_name="Sacha", last_name="ECOLE")
    clerk.groups.add(role_group("Service Scolaire et périscolaire"))
    return clerk


def test_a_clerk_logs_in_with_proconnect_then_leaves_both(page, live_server, simulated_proconnect):
    page.goto(live_server.url + "/admin/")
    button = page.get_by_role("button", name=BUTTON)
    expect(button).to_be_visible()
    about = page.get_by_role("link", name="Qu’est-ce que ProConnect ?")
    expect(about).to_have_attribute("target", "_blank")
    assert_accessible(page)

    button.click()
    expect(page.get_by_role("heading", name="ProConnect (simulation)", level=1)).to_be_visible()
    assert_accessible(page)
    page.get_by_label(re.compile("Sacha ECOLE")).check()
    page.get_by_role("button", name="Continuer sur le portail").click()

    expect(page.get_by_role("heading", name=re.compile("Traitement des comptes"))).to_be_visible()
    assert_accessible(page)

    page.get_by_role("button", name=re.compile("Déconnexion")).click()
    expect(
        page.get_by_text("Vous êtes déconnecté de l'administration et de ProConnect.")
    ).to_be_visible()
    assert_accessible(page)


def test_an_agent_without_an_account_is_told_why(page, live_server, simulated_proconnect):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_role("button", name=BUTTON).click()
    page.get_by_label(re.compile("Camille AILLEURS")).check()
    page.get_by_role("button", name="Continuer sur le portail").click()
    expect(
        page.get_by_role("heading", name="Connexion avec ProConnect impossible", level=1)
    ).to_be_visible()
    expect(page.get_by_text(re.compile("Aucun compte d'agent actif du portail"))).to_be_visible()
    assert_accessible(page)


@pytest.fixture
def directory_away(transactional_db, settings, monkeypatch, tmp_path):
    """The town's directory configured, then stopped (a real slapd, tests/staff_login)."""
    from tests.staff_login import slapd as slapd_server

    slapd_server.skip_or_fail_without_slapd()
    server = slapd_server.slapd_for_tests(tmp_path / "slapd")
    server.stop()
    roles = f"Régie={slapd_server.BILLING_GROUP}"
    slapd_server.configure_portal(server, settings=settings, monkeypatch=monkeypatch, roles=roles)


def test_a_directory_that_does_not_answer_is_said_in_french(page, live_server, directory_away):
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Identifiant").fill("cmartin")
    page.get_by_label("Mot de passe").fill("cmartin-Mot2passe!")
    page.get_by_role("button", name=re.compile("Connexion")).click()
    expect(page.get_by_text(DIRECTORY_UNAVAILABLE)).to_be_visible()
    assert_accessible(page)
