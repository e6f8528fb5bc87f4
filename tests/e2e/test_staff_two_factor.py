"""A clerk's first and second logins to the admin with the second factor, in Chromium:
the key read from the page as a person would type it into an application; axe on each page."""

import re
from base64 import b32decode

import pytest
import time_machine
from django.utils import timezone
from django_otp.oath import totp
from playwright.sync_api import expect

from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, ClerkFactory, role_group

pytestmark = pytest.mark.e2e


@pytest.fixture
def clerk(transactional_db, settings):
    settings.STAFF_TWO_FACTOR = True
    user = ClerkFactory(identifier="agent", first_name="Bruno")
    user.groups.add(role_group("Accueil"))
    return user


def code_for(key: str) -> str:
    return f"{totp(b32decode(key.replace(' ', ''))):06d}"


def log_in(page, live_server):
    page.goto(live_server.url + "/admin/")
    page.get_by_label("Identifiant").fill("agent")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Connexion")).click()


def test_a_clerk_sets_up_the_second_factor_then_logs_in_with_a_code(page, live_server, clerk):
    log_in(page, live_server)
    expect(
        page.get_by_role("heading", name="Configurer la double authentification")
    ).to_be_visible()
    expect(page.get_by_role("img", name="QR code de configuration")).to_be_visible()
    assert_accessible(page)
    key = page.locator(".two-factor__key").inner_text()

    page.get_by_label("Code à usage unique").fill(
        "000000" if code_for(key) != "000000" else "111111"
    )
    page.get_by_role("button", name="Activer la double authentification").click()
    expect(page.locator("#error-summary")).to_contain_text("n'est pas celui qu'attend la clé")
    expect(page.get_by_label("Code à usage unique")).to_have_attribute("aria-invalid", "true")
    assert_accessible(page)

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):
        page.get_by_label("Code à usage unique").fill(code_for(key))
        page.get_by_role("button", name="Activer la double authentification").click()
    expect(page.get_by_role("heading", name="Vos codes de secours")).to_be_visible()
    expect(page.locator(".two-factor__codes li")).to_have_count(10)
    assert_accessible(page)
    page.get_by_role("link", name="Continuer vers l'administration").click()
    expect(
        page.locator("#content-main").get_by_role("link", name="Comptes", exact=True)
    ).to_be_visible()

    page.get_by_role("button", name="Déconnexion").click()
    log_in(page, live_server)
    expect(page.get_by_role("heading", name="Double authentification")).to_be_visible()
    assert_accessible(page)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=62), tick=False):
        page.get_by_label("Code à usage unique").fill(code_for(key))
        page.get_by_role("button", name="Valider le code").click()
    expect(
        page.locator("#content-main").get_by_role("link", name="Comptes", exact=True)
    ).to_be_visible()
