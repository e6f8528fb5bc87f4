"""The request's PDF asked while the worker is still building it: the citizen gets a page
that says so, checked with axe and the Nu checker, whose link gives the PDF once built."""

import pytest
from django.core.cache import cache
from playwright.sync_api import expect

from procedures import pdf
from tests.e2e.axe import assert_accessible
from tests.factories import PASSWORD, UserFactory
from tests.notifications.test_messages import submit

pytestmark = pytest.mark.e2e


@pytest.fixture
def sent(transactional_db):
    return submit(UserFactory(identifier="demo", first_name="Camille"))


def test_a_pdf_being_built_is_announced_and_its_link_gives_it_once_ready(page, live_server, sent):
    claim = pdf.build_claim_key(pdf.pdf_name(sent))
    cache.set(claim, 1, timeout=30)  # the worker queued by the sending is at work
    page.goto(live_server.url + "/")
    page.get_by_label("Utilisateur").fill("demo")
    page.get_by_label("Mot de passe", exact=True).fill(PASSWORD)
    page.get_by_role("button", name="Connexion").click()
    expect(page.get_by_role("heading", name="Bonjour Camille", level=1)).to_be_visible()

    answer = page.goto(f"{live_server.url}/demandes/{sent.pk}/pdf/")

    assert answer.status == 202
    expect(
        page.get_by_role("heading", name="Votre récapitulatif est en préparation", level=1)
    ).to_be_visible()
    expect(page.get_by_text(f"demande n° {sent.number}")).to_be_visible()
    assert_accessible(page)

    cache.delete(claim)  # the worker is done (here: nobody built it; the web does)
    link = page.get_by_role("link", name="Télécharger le récapitulatif (PDF)")
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
