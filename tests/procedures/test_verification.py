"""/verifier/<code>/: valid, « révoqué » once the request is cancelled, unknown; nothing but
the title, the date and the initials; throttled per address."""

import pytest
from django.urls import reverse

from procedures import services
from procedures.decisions.verification import initials
from tests.backoffice import personas
from tests.procedures.decisions_helpers import parking_permit, sent_request
from tests.procedures.factories import ThemeFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def document(citizen):
    theme = ThemeFactory(title="Voirie", slug="verifier-voirie")
    service = personas.service_clerk(theme)
    sent = sent_request(citizen, parking_permit(theme=theme), {"immatriculation": "AB-123-CD"})
    accepted = services.request_transition(citizen_request=sent, name="accept", by=service)
    return accepted.decision_documents.get()


def verify(client, code: str):
    return client.get(reverse("procedures:verify", args=[code]))


def test_a_valid_document_shows_its_title_date_and_initials_only(client, document, citizen):
    response = verify(client, document.verification_code)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Document valide" in page
    assert "Autorisation de stationnement" in page
    assert "C. M." in page
    for secret in ("AB-123-CD", citizen.last_name, citizen.email, document.request.number):
        assert secret not in page
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]


def test_a_document_of_a_request_later_cancelled_is_revoked(client, document, citizen):
    services.request_withdraw(citizen_request=document.request, by=citizen)
    page = verify(client, document.verification_code).content.decode()
    assert "Document révoqué" in page and "Document valide" not in page


@pytest.mark.parametrize("code", ["A" * 32, "court", "x" * 33, "%3Cscript%3E" + "a" * 20])
def test_an_unknown_code_is_a_404_that_says_so(client, document, code):
    response = verify(client, code)
    assert response.status_code == 404
    assert "Aucun document ne correspond à ce code." in response.content.decode()


def test_too_many_verifications_from_one_address_are_refused_for_a_minute(
    client, document, settings
):
    settings.VERIFICATION_REQUESTS_PER_MINUTE = 3
    codes = ["B" * 32, "C" * 32, document.verification_code]
    assert [verify(client, code).status_code for code in codes] == [404, 404, 200]
    refused = verify(client, document.verification_code)
    assert refused.status_code == 429
    assert refused["Retry-After"] == "60"
    assert "Réessayez dans une minute" in refused.content.decode()
    other = client.get(
        reverse("procedures:verify", args=[document.verification_code]), REMOTE_ADDR="10.9.9.9"
    )
    assert other.status_code == 200


def test_initials_keep_a_letter_of_each_name():
    assert initials("Léa Martin-Durand") == "L. M. D."
    assert initials("") == ""
