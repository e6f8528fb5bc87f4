"""Decision documents: the PDF's text, its tags, its QR code read back to the verification
address; the fixed placeholders (an unknown one refused at save, a citizen's HTML or
« {{ … }} » printed as text); the mail's attachment; the citizen's page; the preview."""

import io
import subprocess

import pytest
import zxingcpp
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfReader

from notifications.models import Message
from notifications.services import build_email
from procedures import services
from procedures.decisions.files import decision_pdf_content
from procedures.decisions.verification import verification_url
from procedures.models import DecisionOutcome, DecisionTemplate
from tests.backoffice import personas
from tests.procedures.decisions_helpers import parking_permit, sent_request
from tests.procedures.factories import ThemeFactory

pytestmark = pytest.mark.django_db

HOSTILE = "<script>alert(1)</script> {{ request.account.password }} {numero}"


@pytest.fixture
def theme():
    return ThemeFactory(title="Voirie", slug="documents-voirie")


@pytest.fixture
def service(theme):
    return personas.service_clerk(theme)


@pytest.fixture
def accepted(citizen, service, theme):
    permit = parking_permit(theme=theme)
    sent = sent_request(
        citizen, permit, {"immatriculation": "AB-123-CD", "adresse_chantier": "12 rue Haute"}
    )
    return services.request_transition(citizen_request=sent, name="accept", by=service)


def text_of(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_acceptance_issues_the_procedure_s_document_filled_once(accepted):
    document = accepted.decision_documents.get()
    assert document.title == "Autorisation de stationnement"
    assert document.outcome == DecisionOutcome.ACCEPTANCE
    assert "Camille MARTIN est autorisé(e) à stationner le véhicule AB-123-CD" in document.body
    assert "devant le 12 rue Haute pour la demande n° " + accepted.number in document.body
    assert len(document.verification_code) == 32


def test_the_pdf_gives_the_letterhead_the_facts_the_date_the_signatory_and_the_code(accepted):
    document = accepted.decision_documents.get()
    text = text_of(decision_pdf_content(document))
    for expected in (
        "Mairie de Villeneuve-sur-Example",
        "Autorisation de stationnement",
        "AB-123-CD",
        accepted.number,
        "Date de la décision",
        "Claire Dupont",
        "Adjointe au maire chargée de la voirie",
        document.verification_code,
    ):
        assert expected in text, expected


def test_the_pdf_is_tagged_pdf_ua_in_french_with_a_title(accepted):
    reader = PdfReader(io.BytesIO(decision_pdf_content(accepted.decision_documents.get())))
    catalog = reader.trailer["/Root"]
    assert "/StructTreeRoot" in catalog
    assert catalog["/Lang"] == "fr"
    assert catalog["/MarkInfo"]["/Marked"]
    assert reader.metadata.title.startswith("Autorisation de stationnement")


def test_the_qr_code_reads_back_to_the_verification_address(accepted, tmp_path):
    document = accepted.decision_documents.get()
    pdf = tmp_path / "decision.pdf"
    pdf.write_bytes(decision_pdf_content(document))
    subprocess.run(
        ["pdftoppm", "-r", "150", "-png", str(pdf), str(tmp_path / "page")],
        check=True,
        timeout=60,
    )
    found = [
        result.text
        for page in sorted(tmp_path.glob("page*.png"))
        for result in zxingcpp.read_barcodes(Image.open(page))
    ]
    assert found == [verification_url(document)]
    assert found[0].endswith(f"/verifier/{document.verification_code}/")


def test_the_decision_mail_carries_the_document(accepted):
    message = Message.objects.get(subject__contains="acceptée")
    assert "Autorisation de stationnement" in message.body_text
    ((name, content, mimetype),) = build_email(message).attachments
    assert name.startswith("autorisation-de-stationnement-") and name.endswith(".pdf")
    assert mimetype == "application/pdf" and content.startswith(b"%PDF")


def test_the_citizen_finds_it_on_the_request_s_page_and_no_one_else(
    accepted, citizen_client, client, other_citizen
):
    document = accepted.decision_documents.get()
    page = citizen_client.get(reverse("procedures:detail", args=[accepted.pk])).content.decode()
    url = reverse("procedures:decision_document", args=[accepted.pk, document.pk])
    assert url in page and "Autorisation de stationnement" in page
    response = citizen_client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    client.force_login(other_citizen)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    "body", ["{inconnu}", "{{ request.account.password }}", "{% load x %}", "{reponse:rien}", "{"]
)
def test_an_unknown_placeholder_is_refused_at_save(theme, body):
    template = parking_permit(theme=theme).decision_templates.get()
    template.body = body
    with pytest.raises(ValidationError) as refused:
        template.full_clean()
    assert "body" in refused.value.message_dict


def test_every_placeholder_of_the_list_and_the_procedure_s_answers_are_accepted(theme):
    template = parking_permit(theme=theme).decision_templates.get()
    template.body = "{demandeur} {numero} {date_decision} {reponse:immatriculation} {commentaire}"
    template.full_clean()


def test_a_citizen_s_answer_with_html_or_template_code_is_printed_as_text(citizen, service, theme):
    permit = parking_permit(theme=theme)
    sent = sent_request(citizen, permit, {"immatriculation": HOSTILE, "adresse_chantier": "x"})
    accepted = services.request_transition(citizen_request=sent, name="accept", by=service)
    document = accepted.decision_documents.get()
    assert HOSTILE in document.body  # Filled once: « {numero} » in an answer stays as it is.
    text = text_of(decision_pdf_content(document))
    assert "<script>alert(1)</script>" in text
    assert "{{ request.account.password }}" in text


def test_the_preview_renders_a_sample_request_and_keeps_nothing(client, theme):
    permit = parking_permit(theme=theme)
    client.force_login(personas.catalogue_admin())
    url = reverse(
        "admin:procedures_procedure_decision_preview", args=[permit.pk, DecisionOutcome.ACCEPTANCE]
    )
    response = client.get(url)
    assert response.status_code == 200
    text = text_of(b"".join(response.streaming_content))
    assert "APERÇU" in text and "Camille Exemple" in text
    assert "Autorisation de stationnement" in text
    assert not permit.requests.exists()
    assert DecisionTemplate.objects.count() == 1
    refused = client.get(url.replace(DecisionOutcome.ACCEPTANCE, DecisionOutcome.REFUSAL))
    assert refused.status_code == 404  # No template for a refusal.


def test_a_deleted_request_takes_its_documents_and_their_pdfs(
    accepted, django_capture_on_commit_callbacks
):
    from common.private_storage import private_storage
    from procedures.models import DecisionDocument, Request

    document = accepted.decision_documents.get()
    decision_pdf_content(document)
    folder = f"decisions/{accepted.pk}/{document.pk}"
    assert private_storage.listdir(folder)[1]
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_with_files(Request.objects.filter(pk=accepted.pk))
    assert not DecisionDocument.objects.exists()
    remaining = private_storage.listdir(folder)[1] if private_storage.exists(folder) else []
    assert remaining == []


def test_the_citizen_s_archive_holds_the_document_and_its_pdf(accepted, citizen):
    import json
    import zipfile

    from privacy.archive import archive_write

    target = io.BytesIO()
    archive_write(account=citizen, target=target)
    with zipfile.ZipFile(target) as archive:
        data = json.loads(archive.read("donnees.json"))
        (decision,) = data["demandes"][0]["documents_de_decision"]
        assert decision["titre"] == "Autorisation de stationnement"
        assert archive.read(decision["fichier"]).startswith(b"%PDF")


def template_rows(body: str) -> dict:
    return {
        "decision_templates-TOTAL_FORMS": 1,
        "decision_templates-0-outcome": DecisionOutcome.ACCEPTANCE,
        "decision_templates-0-title": "Carte de stationnement résident",
        "decision_templates-0-body": body,
        "decision_templates-0-signatory_name": "Claire Dupont",
        "decision_templates-0-signatory_role": "Adjointe au maire",
    }


def test_the_admin_refuses_an_unknown_placeholder_and_saves_nothing(client, theme):
    from procedures.models import Procedure
    from tests.procedures.test_admin import procedure_form

    client.force_login(personas.catalogue_admin())
    url = reverse("admin:procedures_procedure_add")
    refused = client.post(url, procedure_form(theme, **template_rows("Pour {demandeur} {{ x }}")))
    assert refused.status_code == 200
    assert "Repères inconnus : { x }" in refused.content.decode()
    assert not Procedure.objects.filter(slug="carte-stationnement").exists()
    saved = client.post(
        url, procedure_form(theme, **template_rows("Pour {demandeur}, n° {numero}"))
    )
    assert saved.status_code == 302
    assert DecisionTemplate.objects.get().body == "Pour {demandeur}, n° {numero}"
