"""The public verification of a decision document in Chromium, as a police officer's phone
opens it from the QR code: valid, revoked and unknown, each checked with axe (and the Nu
checker, which reads every page the browser tests visit), at 320 px too."""

import pytest
from playwright.sync_api import expect

from procedures import services
from tests.backoffice import personas
from tests.e2e.axe import assert_accessible, assert_reflows
from tests.factories import UserFactory
from tests.procedures.decisions_helpers import parking_permit, sent_request
from tests.procedures.factories import ThemeFactory

pytestmark = pytest.mark.e2e


@pytest.fixture
def document(transactional_db):
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    theme = ThemeFactory(title="Voirie", slug="e2e-voirie")
    sent = sent_request(citizen, parking_permit(theme=theme), {"immatriculation": "AB-123-CD"})
    services.request_transition(
        citizen_request=sent, name="accept", by=personas.service_clerk(theme)
    )
    return sent.decision_documents.get()


def test_a_valid_document_then_revoked_then_an_unknown_code(open_page, live_server, document):
    page = open_page()
    page.set_viewport_size({"width": 320, "height": 640})
    url = f"{live_server.url}/verifier/{document.verification_code}/"
    assert page.goto(url).status == 200
    expect(page.get_by_role("heading", name="Vérification d'un document", level=1)).to_be_visible()
    expect(page.get_by_text("Document valide")).to_be_visible()
    expect(page.get_by_text("Autorisation de stationnement")).to_be_visible()
    expect(page.get_by_text("C. M.")).to_be_visible()
    assert "AB-123-CD" not in page.content()
    assert_accessible(page)
    assert_reflows(page)

    services.request_withdraw(citizen_request=document.request, by=document.request.account)
    page.reload()
    expect(page.get_by_text("Document révoqué")).to_be_visible()
    assert_accessible(page)

    assert page.goto(f"{live_server.url}/verifier/{'Z' * 32}/").status == 404
    expect(page.get_by_text("Aucun document ne correspond à ce code.")).to_be_visible()
    assert_accessible(page)
