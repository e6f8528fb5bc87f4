"""The request PDF: what it says, that screen readers can read it, its cache, who gets it."""

from datetime import UTC, date, datetime
from io import BytesIO
from unittest import mock

import pytest
import time_machine
from django.conf import settings
from django.urls import reverse
from pypdf import PdfReader

from common.private_storage import private_storage
from households.models import Category, Relationship, Sex
from households.services import household_get_or_create, member_add
from procedures import pdf, services
from procedures.models import ProcedureField
from tests.procedures.factories import DocumentFactory, FieldFactory, ProcedureFactory

MONDAY = datetime(2026, 6, 8, 9, 30, tzinfo=UTC)
TUESDAY = datetime(2026, 6, 9, 14, 0, tzinfo=UTC)


def bulky_waste():
    procedure = ProcedureFactory(
        title="Collecte des encombrants", theme__title="Environnement", has_appointment=True
    )
    FieldFactory(
        procedure=procedure,
        name="date_souhaitee",
        label="Date souhaitée",
        kind=ProcedureField.Kind.DATE,
        order=1,
    )
    FieldFactory(
        procedure=procedure,
        name="objets",
        label="Objets à enlever",
        kind=ProcedureField.Kind.LONG_TEXT,
        order=2,
    )
    FieldFactory(
        procedure=procedure,
        name="acces",
        label="Accès",
        kind=ProcedureField.Kind.CHOICE,
        choices="Rez-de-chaussée\nÉtage sans ascenseur",
        order=3,
    )
    FieldFactory(
        procedure=procedure,
        name="rappel",
        label="Me rappeler la veille",
        kind=ProcedureField.Kind.CHECKBOX,
        required=False,
        order=4,
    )
    DocumentFactory(procedure=procedure, label="Justificatif de domicile")
    return procedure


ANSWERS = {
    "date_souhaitee": "2026-06-20",
    "objets": "Un canapé et une armoire",
    "acces": "Étage sans ascenseur",
    "rappel": True,
}


def submitted(account, procedure=None, member=None, answers=ANSWERS):
    draft = services.request_draft_save(
        account=account, procedure=procedure or bulky_waste(), member=member, answers=answers
    )
    return services.request_submit(citizen_request=draft, by=account)


def text_of(data: bytes) -> str:
    reader = PdfReader(BytesIO(data))
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def pdf_url(request):
    return reverse("procedures:pdf", args=[request.pk])


def stored_versions(request) -> list[str]:
    try:
        return private_storage.listdir(pdf.pdf_folder(request))[1]
    except FileNotFoundError:
        return []


@pytest.fixture
def sent(citizen):
    return submitted(citizen)


@pytest.fixture
def weasyprint_calls():
    """Count the real renderings, at the outer edge (WeasyPrint)."""
    with mock.patch.object(
        pdf, "request_pdf_bytes", autospec=True, side_effect=pdf.request_pdf_bytes
    ) as spy:
        yield spy


def test_the_owner_gets_the_pdf_inline_and_uncached_by_the_browser(citizen_client, sent):
    response = citizen_client.get(pdf_url(sent))

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'inline; filename="demande-{sent.number}.pdf"'
    assert response["Cache-Control"] == "private, no-store"
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_the_pdf_gives_the_town_the_procedure_the_number_the_state_and_every_answer(
    citizen_client, sent
):
    text = text_of(b"".join(citizen_client.get(pdf_url(sent)).streaming_content))

    assert settings.TOWN["name"] in text
    assert settings.TOWN["address"] in text
    assert f"Demande n° {sent.number}" in text
    assert "Collecte des encombrants" in text
    assert "Environnement" in text
    assert "État actuel Reçue" in text
    assert "Date souhaitée 20/06/2026" in text
    assert "Objets à enlever Un canapé et une armoire" in text
    assert "Accès Étage sans ascenseur" in text
    assert "Me rappeler la veille Oui" in text


def test_the_pdf_gives_the_snapshot_of_the_member_concerned(citizen):
    household = household_get_or_create(account=citizen)
    child = member_add(
        household=household,
        by=citizen,
        category=Category.CHILD,
        relationship=Relationship.CHILD,
        sex=Sex.FEMALE,
        last_name=citizen.last_name,
        first_names="Léa",
        birth_date=date(2018, 5, 2),
    )
    procedure = ProcedureFactory(title="Inscription scolaire", concerns="child")
    FieldFactory(
        procedure=procedure,
        name="niveau",
        label="Niveau",
        kind=ProcedureField.Kind.CHOICE,
        choices="CP\nCE1",
    )
    request = submitted(citizen, procedure=procedure, member=child, answers={"niveau": "CE1"})

    text = text_of(pdf.request_pdf_bytes(request))

    assert f"Nom Léa {citizen.last_name}" in text
    assert "Date de naissance 2 mai 2018" in text
    assert "12 rue des Écoles, 99999 Villeneuve-sur-Example" in text
    assert "Niveau CE1" in text


def test_a_document_not_uploaded_is_expected_on_paper_at_the_guichet_unique(citizen, sent):
    text = text_of(pdf.request_pdf_bytes(sent))

    assert "Justificatif de domicile : à apporter sur papier au Guichet Unique" in text
    assert "venir au Guichet Unique" in text


def test_the_history_names_la_mairie_never_the_clerk(citizen, clerk, sent):
    services.request_transition(citizen_request=sent, name="start", by=clerk)
    services.request_transition(
        citizen_request=sent,
        name="ask_citizen",
        by=clerk,
        comment="Merci d'envoyer une photo des objets.",
    )
    sent.refresh_from_db()

    text = text_of(pdf.request_pdf_bytes(sent))

    assert "État actuel En attente de pièces ou d'informations" in text
    assert "Reçue vous" in text
    assert "En cours de traitement la mairie" in text
    assert "la mairie Merci d'envoyer une photo des objets." in text
    assert clerk.first_name not in text
    assert clerk.last_name not in text
    assert clerk.identifier not in text


def test_the_decision_and_the_date_fixed_by_the_town_hall_are_shown(citizen, clerk, sent):
    with time_machine.travel(TUESDAY, tick=False):
        services.request_transition(
            citizen_request=sent, name="accept", by=clerk, appointment_date=date(2026, 6, 16)
        )
    sent.refresh_from_db()

    text = text_of(pdf.request_pdf_bytes(sent))

    assert "État actuel Acceptée" in text
    assert "Décidée le 9 juin 2026" in text
    assert "Date fixée par la mairie mardi 16 juin 2026" in text


def test_the_pdf_is_tagged_pdf_ua_in_french_with_a_title(sent):
    reader = PdfReader(BytesIO(pdf.request_pdf_bytes(sent)))
    catalog = reader.trailer["/Root"]

    assert "/StructTreeRoot" in catalog
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert catalog["/Lang"] == "fr"
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True
    assert reader.metadata.title == f"Demande n° {sent.number} — Collecte des encombrants"
    assert b"pdfuaid" in catalog["/Metadata"].get_object().get_data()


def test_the_pdf_embeds_only_local_dejavu_fonts(sent):
    reader = PdfReader(BytesIO(pdf.request_pdf_bytes(sent)))
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }

    assert fonts
    assert all("DejaVu" in font for font in fonts), fonts


def test_a_transition_changes_the_request_s_updated_at(citizen, clerk):
    with time_machine.travel(MONDAY, tick=False):
        request = submitted(citizen)
    with time_machine.travel(TUESDAY, tick=False):
        services.request_transition(citizen_request=request, name="start", by=clerk)

    request.refresh_from_db()
    assert request.updated_at == TUESDAY
    assert pdf.pdf_name(request) != pdf.pdf_name(type(request)(pk=request.pk, updated_at=MONDAY))


def test_a_second_download_is_served_from_the_cache(citizen_client, sent, weasyprint_calls):
    first = b"".join(citizen_client.get(pdf_url(sent)).streaming_content)
    second = b"".join(citizen_client.get(pdf_url(sent)).streaming_content)

    assert weasyprint_calls.call_count == 1
    assert first == second
    assert stored_versions(sent) == [pdf.pdf_name(sent).rsplit("/", 1)[1]]


def test_the_pdf_is_rebuilt_after_a_transition_and_the_old_version_deleted(
    citizen_client, clerk, sent, weasyprint_calls
):
    citizen_client.get(pdf_url(sent))
    old_name = pdf.pdf_name(sent)
    services.request_transition(citizen_request=sent, name="start", by=clerk)

    text = text_of(b"".join(citizen_client.get(pdf_url(sent)).streaming_content))

    assert weasyprint_calls.call_count == 2
    assert "État actuel En cours de traitement" in text
    sent.refresh_from_db()
    assert stored_versions(sent) == [pdf.pdf_name(sent).rsplit("/", 1)[1]]
    assert not private_storage.exists(old_name)


def test_a_copy_deleted_by_a_build_of_the_same_version_at_the_same_time_is_no_error(
    citizen_client, sent
):
    """The worker and the citizen's click build one version at once: the first to store
    it deletes the other's copy (a suffixed name), maybe while that one is written."""
    real_save = private_storage.save

    def deleted_while_written(name, content, **kwargs):
        written = real_save(name, content, **kwargs)
        private_storage.delete(written)
        raise FileNotFoundError(written)

    with mock.patch.object(private_storage, "save", side_effect=deleted_while_written):
        response = citizen_client.get(pdf_url(sent))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_another_citizen_gets_a_404(client, other_citizen, sent, weasyprint_calls):
    client.force_login(other_citizen)

    assert client.get(pdf_url(sent)).status_code == 404
    assert weasyprint_calls.call_count == 0


def test_a_visitor_who_is_not_logged_in_is_sent_to_the_login_page(client, sent):
    response = client.get(pdf_url(sent))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_draft_has_no_pdf(citizen_client, citizen, weasyprint_calls):
    draft = services.request_draft_save(
        account=citizen, procedure=bulky_waste(), member=None, answers=ANSWERS
    )

    assert citizen_client.get(pdf_url(draft)).status_code == 404
    assert weasyprint_calls.call_count == 0


@pytest.mark.django_db
def test_with_a_worker_the_pdf_is_built_ahead_of_the_citizen(
    citizen, settings, django_capture_on_commit_callbacks
):
    from procedures.pdf import cached_pdf, pdf_name

    settings.PDF_PREBUILD = True
    procedure = ProcedureFactory()
    with django_capture_on_commit_callbacks(execute=True):
        draft = services.request_draft_save(
            account=citizen, procedure=procedure, member=None, answers={}
        )
        sent = services.request_submit(citizen_request=draft, by=citizen)
    assert cached_pdf(pdf_name(sent)) is not None


def test_while_another_process_builds_it_the_citizen_is_told_it_is_being_prepared(
    citizen_client, sent, weasyprint_calls
):
    """The worker queued by the sending is building this version: the web neither waits
    for it nor pays WeasyPrint a second time; the page says so and offers the same link."""
    from django.core.cache import cache

    cache.set(pdf.build_claim_key(pdf.pdf_name(sent)), 1, timeout=30)

    response = citizen_client.get(pdf_url(sent))

    assert response.status_code == 202
    assert response["Retry-After"] == "2"
    assert response["Cache-Control"] == "private, no-store"
    page = response.content.decode()
    assert "Votre récapitulatif est en préparation" in page
    assert f'href="{pdf_url(sent)}"' in page
    assert weasyprint_calls.call_count == 0


def test_once_the_other_process_stored_it_the_same_link_serves_it(
    citizen_client, sent, weasyprint_calls
):
    from django.core.cache import cache

    cache.set(pdf.build_claim_key(pdf.pdf_name(sent)), 1, timeout=30)
    assert citizen_client.get(pdf_url(sent)).status_code == 202
    pdf.pdf_store(sent, pdf.request_pdf_bytes(sent))
    cache.delete(pdf.build_claim_key(pdf.pdf_name(sent)))

    response = citizen_client.get(pdf_url(sent))

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert weasyprint_calls.call_count == 1


def test_the_worker_skips_a_version_being_built_or_already_stored(sent, weasyprint_calls):
    from django.core.cache import cache

    from procedures.tasks import build_request_pdf

    cache.set(pdf.build_claim_key(pdf.pdf_name(sent)), 1, timeout=30)
    build_request_pdf(sent.pk)
    assert weasyprint_calls.call_count == 0
    assert stored_versions(sent) == []

    cache.delete(pdf.build_claim_key(pdf.pdf_name(sent)))
    build_request_pdf(sent.pk)
    build_request_pdf(sent.pk)
    assert weasyprint_calls.call_count == 1
    assert cache.get(pdf.build_claim_key(pdf.pdf_name(sent))) is None


def test_with_the_shared_cache_unavailable_the_web_builds_it_rather_than_refuse_it(
    citizen_client, sent, weasyprint_calls, settings
):
    from citizen_portal.cache_connection import shared_cache

    # The production configuration, on a port where nothing listens.
    settings.CACHES = {**settings.CACHES, "default": shared_cache("redis://127.0.0.1:1/0", 1)}

    response = citizen_client.get(pdf_url(sent))

    assert response.status_code == 200
    assert weasyprint_calls.call_count == 1
