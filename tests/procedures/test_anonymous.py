"""Birth, marriage and death certificates requested without an account, and their tracking link."""

import math
import re

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from notifications.models import Message, MessageKind
from notifications.topics import request_topic
from procedures import anonymous, services
from procedures.anonymous import (
    TRACKING_ALPHABET,
    TRACKING_LENGTH,
    civil_status_request_submit,
    new_tracking_code,
    normalize_tracking_code,
)
from procedures.civil_status import (
    Certificate,
    CivilStatusForm,
    DocumentKind,
    Relationship,
    delivery_refusal,
)
from procedures.models import Procedure, Request, RequestCounter, RequestEvent, RequestState
from tests.procedures.factories import ProcedureFactory, ThemeFactory, complete_answers

pytestmark = pytest.mark.django_db

CODE_RE = re.compile(r"^[2-9A-HJKMNP-Z]{4}(?:-[2-9A-HJKMNP-Z]{4}){3}$")
REFUSAL_START = "Une copie intégrale ou un extrait avec filiation ne peut être délivré qu'à"
ENTITLED = [r for r in Relationship if r != Relationship.OTHER]
OPEN_TO_ANYONE = [DocumentKind.WITHOUT_FILIATION]
RESTRICTED = [DocumentKind.FULL_COPY, DocumentKind.WITH_FILIATION, DocumentKind.MULTILINGUAL]


def certificate_procedure(
    slug="acte-de-naissance",
    title="Demande d'acte de naissance",
    certificate=Certificate.BIRTH,
    **kwargs,
):
    options = {
        "theme": ThemeFactory(title="État civil", slug="etat-civil"),
        "title": title,
        "slug": slug,
        "kind": Procedure.Kind.CIVIL_STATUS,
        "certificate": certificate,
        "account_required": False,
        "captcha_required": True,
        "concerns": Procedure.Concerns.NOBODY,
        "service_name": "Service de l'état civil",
    }
    options.update(kwargs)
    return ProcedureFactory(**options)


def valid_data(**overrides):
    data = {
        "document_kind": DocumentKind.WITH_FILIATION,
        "copies": "2",
        "relationship": Relationship.SELF,
        "subject_last_name": "Martin",
        "subject_first_names": "Léa Jeanne",
        "event_date": "1990-05-17",
        "subject_birth_date": "1960-01-02",
        "parent_1": "Paul Martin",
        "parent_2": "Anne Dubois",
        "civility": "mme",
        "last_name": "Martin",
        "first_name": "Léa",
        "email": "lea.martin@example.org",
        "address": "4 Hauptstraße",
        "postal_code": "10115",
        "city": "Berlin",
        "country": "Allemagne",
        "captcha_0": "any",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def cleaned(certificate=Certificate.BIRTH, **overrides) -> dict:
    form = CivilStatusForm(valid_data(**overrides), certificate=certificate)
    assert form.is_valid(), form.errors
    return form.cleaned_data


def start_url(procedure) -> str:
    return reverse("procedures:anonymous_start", args=[procedure.slug])


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def nothing_saved():
    return (
        not Request.objects.exists()
        and not RequestEvent.objects.exists()
        and not RequestCounter.objects.filter(last__gt=0).exists()
    )


# The tracking code


def test_a_tracking_code_is_four_groups_of_four_readable_characters():
    for _ in range(200):
        assert CODE_RE.match(new_tracking_code())
    assert not set(TRACKING_ALPHABET) & set("0O1IL")


def test_a_tracking_code_carries_at_least_sixty_bits_of_randomness():
    assert TRACKING_LENGTH * math.log2(len(TRACKING_ALPHABET)) >= 60
    assert len({new_tracking_code() for _ in range(1000)}) == 1000


@pytest.mark.parametrize(
    "typed",
    ["K7MX-3PQA-9RTE-WH4C", "k7mx-3pqa-9rte-wh4c", "K7MX3PQA9RTEWH4C", " k7mx 3pqa-9rte wh4c "],
)
def test_a_code_is_read_in_any_case_with_or_without_dashes(typed):
    assert normalize_tracking_code(typed) == "K7MX-3PQA-9RTE-WH4C"


@pytest.mark.parametrize(
    "typed", ["", "K7MX-3PQA-9RTE", "K7MX-3PQA-9RTE-WH4CX", "O7MX-3PQA-9RTE-WH4C", "1234"]
)
def test_what_cannot_be_a_code_is_no_code(typed):
    assert normalize_tracking_code(typed) is None


# Who may receive what (décret n° 2017-890, art. 30 s.)


@pytest.mark.parametrize("certificate", [Certificate.BIRTH, Certificate.MARRIAGE])
@pytest.mark.parametrize("kind", RESTRICTED)
def test_a_full_copy_or_an_extract_showing_the_parents_is_refused_to_a_third_party(
    certificate, kind
):
    refusal = delivery_refusal(
        certificate=certificate, document_kind=kind, relationship=Relationship.OTHER
    )
    assert refusal and "procureur de la République" in refusal
    assert "extrait sans filiation" in refusal


@pytest.mark.parametrize("certificate", [Certificate.BIRTH, Certificate.MARRIAGE])
@pytest.mark.parametrize("kind", RESTRICTED)
@pytest.mark.parametrize("relationship", ENTITLED)
def test_the_person_and_their_close_family_receive_every_document(certificate, kind, relationship):
    assert (
        delivery_refusal(certificate=certificate, document_kind=kind, relationship=relationship)
        is None
    )


@pytest.mark.parametrize("certificate", [Certificate.BIRTH, Certificate.MARRIAGE])
@pytest.mark.parametrize("relationship", list(Relationship))
def test_anyone_receives_an_extract_without_the_parents(certificate, relationship):
    refusal = delivery_refusal(
        certificate=certificate,
        document_kind=DocumentKind.WITHOUT_FILIATION,
        relationship=relationship,
    )
    assert refusal is None


@pytest.mark.parametrize("kind", list(DocumentKind))
@pytest.mark.parametrize("relationship", list(Relationship))
def test_anyone_receives_any_document_of_a_death_certificate(kind, relationship):
    assert (
        delivery_refusal(
            certificate=Certificate.DEATH, document_kind=kind, relationship=relationship
        )
        is None
    )


def test_a_full_copy_of_a_birth_certificate_names_at_least_one_parent():
    form = CivilStatusForm(
        valid_data(document_kind=DocumentKind.FULL_COPY, parent_1="", parent_2=""),
        certificate=Certificate.BIRTH,
    )
    assert not form.is_valid()
    assert "au moins un parent" in form.errors["parent_1"][0]
    without_parents = CivilStatusForm(
        valid_data(document_kind=DocumentKind.WITHOUT_FILIATION, parent_1="", parent_2=""),
        certificate=Certificate.BIRTH,
    )
    assert without_parents.is_valid(), without_parents.errors


def test_only_a_birth_certificate_asks_for_the_parents_and_only_others_for_a_birth_date():
    birth = CivilStatusForm(certificate=Certificate.BIRTH)
    death = CivilStatusForm(certificate=Certificate.DEATH)
    assert {"parent_1", "parent_2"} <= set(
        birth.fields
    ) and "subject_birth_date" not in birth.fields
    assert not {"parent_1", "parent_2"} & set(death.fields) and "subject_birth_date" in death.fields
    assert birth.fields["event_date"].label == "Date de naissance"
    assert death.fields["event_date"].label == "Date du décès"
    assert (
        CivilStatusForm(certificate=Certificate.MARRIAGE).fields["event_date"].label
        == "Date du mariage"
    )


# The service


def test_a_request_without_account_gets_a_number_and_a_tracking_code():
    procedure = certificate_procedure()
    sent = civil_status_request_submit(procedure=procedure, data=cleaned())

    sent.refresh_from_db()
    assert sent.account is None and sent.member is None
    assert sent.state == RequestState.SUBMITTED and sent.submitted_at is not None
    assert sent.number == f"{timezone.localdate().year}-000001"
    assert CODE_RE.match(sent.tracking_code)
    assert sent.subject_name == "Léa Jeanne MARTIN"
    assert sent.subject_birth_date.isoformat() == "1990-05-17"
    assert sent.contact_email == "lea.martin@example.org"
    assert sent.address == "4 Hauptstraße, 10115 Berlin, Allemagne"
    assert sent.answers == {
        "acte": "naissance",
        "type_document": "extrait_avec_filiation",
        "exemplaires": 2,
        "lien": "personne",
        "nom": "MARTIN",
        "prenoms": "Léa Jeanne",
        "date_evenement": "1990-05-17",
        "parent_1": "Paul Martin",
        "parent_2": "Anne Dubois",
        "demandeur": "Madame Léa MARTIN",
        "adresse_envoi": "4 Hauptstraße, 10115 Berlin, Allemagne",
    }
    event = sent.events.get()
    assert (event.transition, event.from_state, event.to_state) == ("submit", "draft", "submitted")
    assert event.actor is None and not event.by_staff


def test_it_takes_its_number_from_the_same_counter_as_the_requests_of_accounts():
    procedure = certificate_procedure()
    first = civil_status_request_submit(procedure=procedure, data=cleaned())
    second = civil_status_request_submit(procedure=procedure, data=cleaned())
    year = timezone.localdate().year
    assert (first.number, second.number) == (f"{year}-000001", f"{year}-000002")
    assert first.tracking_code != second.tracking_code


def test_a_french_address_is_kept_without_the_country_and_a_death_keeps_the_birth_date():
    procedure = certificate_procedure(
        slug="acte-de-deces", title="Demande d'acte de décès", certificate=Certificate.DEATH
    )
    data = cleaned(
        Certificate.DEATH,
        address="1 rue de la Paix",
        postal_code="75002",
        city="Paris",
        country="France",
        event_date="2020-03-04",
    )
    sent = civil_status_request_submit(procedure=procedure, data=data)
    assert sent.address == "1 rue de la Paix, 75002 Paris"
    assert sent.subject_birth_date.isoformat() == "1960-01-02"
    assert sent.answers["acte"] == "deces" and sent.answers["date_naissance"] == "1960-01-02"


def test_the_submission_is_acknowledged_once_in_the_outbox_to_the_address_given(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        sent = civil_status_request_submit(procedure=certificate_procedure(), data=cleaned())
    [message] = Message.objects.filter(topic=request_topic(sent.pk))
    assert message.kind == MessageKind.ACKNOWLEDGEMENT and message.account is None
    assert message.dedupe_key == f"{request_topic(sent.pk)}:event:{sent.events.get().pk}"
    [email] = mail.outbox
    assert email.to == [sent.contact_email] and sent.number in email.body


def test_the_service_refuses_what_the_law_refuses_even_without_the_form():
    data = cleaned(relationship=Relationship.OTHER, document_kind=DocumentKind.WITHOUT_FILIATION)
    data["document_kind"] = DocumentKind.FULL_COPY
    with pytest.raises(services.RequestError, match="procureur"):
        civil_status_request_submit(procedure=certificate_procedure(), data=data)
    assert nothing_saved()


@pytest.mark.parametrize(
    "options",
    [
        {"account_required": True},
        {"published": False},
        {"certificate": ""},
    ],
)
def test_the_service_refuses_a_procedure_not_open_without_account(options):
    with pytest.raises(services.RequestError, match="sans compte"):
        civil_status_request_submit(procedure=certificate_procedure(**options), data=cleaned())
    assert nothing_saved()


# The form page


def test_the_form_asks_what_the_law_needs_and_names_its_button(client):
    page = client.get(start_url(certificate_procedure())).content.decode()
    assert page.count("<h1") == 1
    for text in (
        "Demande d&#x27;acte de naissance",
        "Copie intégrale",
        "Extrait avec filiation",
        "Extrait sans filiation",
        "Extrait plurilingue",
        "La personne elle-même",
        "Son conjoint ou sa conjointe",
        "Un ascendant (parent, grand-parent)",
        "Un descendant (enfant, petit-enfant)",
        "Son représentant légal",
        "Autre (tiers)",
        "Nom de naissance",
        "Prénoms",
        "Date de naissance",
        "Premier parent : nom et prénoms",
        "Civilité",
        "Adresse électronique",
        "Code postal",
        "Commune",
        "Pays",
        "Nombre d&#x27;exemplaires",
        "Cryptogramme",
        "Écouter le cryptogramme",
        "Envoyer ma demande",
        'href="/aide/#cryptogramme"',
        'href="/aide/#sans-compte"',
    ):
        assert text in page, text
    assert 'value="France"' in page


def test_sending_the_form_gives_the_number_the_code_and_the_private_link(client):
    response = client.post(start_url(certificate_procedure()), valid_data())
    sent = Request.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("procedures:anonymous_done", args=[sent.tracking_code])

    done = client.get(response["Location"])
    page = done.content.decode()
    assert page.count("<h1") == 1
    assert sent.number in page and sent.tracking_code in page
    assert f"http://testserver/suivi/{sent.tracking_code}/" in page
    assert "lea.martin@example.org" in page
    assert "Et maintenant ?" in page
    assert "no-store" in done["Cache-Control"]
    assert "noindex" in done["X-Robots-Tag"]


def test_the_acknowledgement_mail_carries_the_private_link(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(start_url(certificate_procedure()), valid_data())
    sent = Request.objects.get()
    to_requester = [m for m in mail.outbox if m.to == ["lea.martin@example.org"]]
    assert len(to_requester) == 1
    assert f"/suivi/{sent.tracking_code}/" in to_requester[0].body


def test_a_wrong_captcha_is_refused_and_nothing_is_saved(client):
    data = valid_data(captcha_0=CaptchaStore.generate_key(), captcha_1="FAUX")
    response = client.post(start_url(certificate_procedure()), data)
    assert response.status_code == 200
    assert any("Le cryptogramme est incorrect" in e for e in errors_of(response)["captcha"])
    assert nothing_saved()


def test_the_captcha_is_required(client):
    data = valid_data()
    del data["captcha_0"], data["captcha_1"]
    response = client.post(start_url(certificate_procedure()), data)
    assert "captcha" in errors_of(response)
    assert nothing_saved()


@pytest.mark.parametrize("kind", [DocumentKind.FULL_COPY, DocumentKind.WITH_FILIATION])
def test_a_third_party_asking_for_the_parents_reads_why_beside_the_field(client, kind):
    data = valid_data(document_kind=kind, relationship=Relationship.OTHER)
    response = client.post(start_url(certificate_procedure()), data)
    assert response.status_code == 200
    assert errors_of(response)["document_kind"][0].startswith(REFUSAL_START)
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert 'id="id_document_kind_error"' in page
    assert "<title>Erreur" in page
    assert nothing_saved()


def test_a_third_party_may_ask_for_an_extract_without_the_parents(client):
    data = valid_data(document_kind=DocumentKind.WITHOUT_FILIATION, relationship=Relationship.OTHER)
    response = client.post(start_url(certificate_procedure()), data)
    assert response.status_code == 302
    assert Request.objects.get().answers["lien"] == "tiers"


def test_a_third_party_may_ask_for_a_full_copy_of_a_death_certificate(client):
    procedure = certificate_procedure(
        slug="acte-de-deces", title="Demande d'acte de décès", certificate=Certificate.DEATH
    )
    data = valid_data(document_kind=DocumentKind.FULL_COPY, relationship=Relationship.OTHER)
    response = client.post(start_url(procedure), data)
    assert response.status_code == 302
    assert Request.objects.get().answers["type_document"] == "copie_integrale"


def test_a_third_party_is_refused_a_full_copy_of_a_marriage_certificate(client):
    procedure = certificate_procedure(
        slug="acte-de-mariage", title="Demande d'acte de mariage", certificate=Certificate.MARRIAGE
    )
    data = valid_data(document_kind=DocumentKind.FULL_COPY, relationship=Relationship.OTHER)
    response = client.post(start_url(procedure), data)
    assert errors_of(response)["document_kind"][0].startswith(REFUSAL_START)
    assert nothing_saved()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"email": ""}, "email", "Ce champ est obligatoire."),
        ({"email": "pas-un-mail"}, "email", "Saisissez une adresse de courriel valide."),
        ({"copies": "6"}, "copies", "inférieure ou égale à 5"),
        ({"copies": "0"}, "copies", "supérieure ou égale à 1"),
        ({"subject_last_name": ""}, "subject_last_name", "Ce champ est obligatoire."),
        ({"event_date": "2999-01-01"}, "event_date", "ne peut pas être dans le futur"),
        ({"first_name": "L3a"}, "first_name", "Utilisez uniquement des lettres"),
        ({"country": "France", "postal_code": "750"}, "postal_code", "5 chiffres"),
        ({"address": ""}, "address", "Ce champ est obligatoire."),
        ({"relationship": ""}, "relationship", "Ce champ est obligatoire."),
        ({"document_kind": "acte_de_propriete"}, "document_kind", "Sélectionnez un choix valide"),
    ],
)
def test_each_bad_input_gets_a_french_message_beside_its_field_and_saves_nothing(
    client, overrides, field, message
):
    response = client.post(start_url(certificate_procedure()), valid_data(**overrides))
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)[field]), errors_of(response)
    assert f'id="id_{field}_error"' in response.content.decode()
    assert nothing_saved()


@pytest.mark.parametrize(
    "options",
    [
        {"account_required": True},
        {"published": False},
        {"certificate": ""},
    ],
)
def test_only_published_certificate_requests_without_account_are_reachable(client, options):
    procedure = certificate_procedure(**options)
    assert client.get(start_url(procedure)).status_code == 404
    assert client.post(start_url(procedure), valid_data()).status_code == 404
    assert nothing_saved()


def test_an_unknown_procedure_is_not_found(client):
    assert client.get(reverse("procedures:anonymous_start", args=["inconnue"])).status_code == 404


# The tracking page


def sent_request(**overrides) -> Request:
    return civil_status_request_submit(procedure=certificate_procedure(), data=cleaned(**overrides))


def test_the_tracking_page_shows_the_request_its_progress_and_its_history(client):
    sent = sent_request()
    response = client.get(reverse("procedures:track", args=[sent.tracking_code]))
    page = response.content.decode()
    assert response.status_code == 200
    assert page.count("<h1") == 1
    for text in (
        "Demande d&#x27;acte de naissance",
        sent.number,
        sent.tracking_code,
        "Reçue",
        "Étape 1 sur 4 : Reçue",
        'class="progress__bar" aria-hidden="true"',
        "Extrait avec filiation",
        "La personne elle-même",
        "Léa Jeanne MARTIN",
        "17/05/1990",
        reverse("procedures:track_pdf", args=[sent.tracking_code]),
    ):
        assert text in page, text
    assert "no-store" in response["Cache-Control"]


def test_the_history_shows_the_town_hall_never_the_clerk(client, clerk):
    sent = sent_request()
    services.request_transition(citizen_request=sent, name="start", by=clerk)
    services.request_transition(
        citizen_request=sent, name="ask_citizen", by=clerk, comment="Précisez le lieu de naissance."
    )
    page = client.get(reverse("procedures:track", args=[sent.tracking_code])).content.decode()
    assert "En attente de pièces ou d&#x27;informations" in page
    assert "Précisez le lieu de naissance." in page
    assert "(la mairie)" in page
    assert clerk.last_name not in page and clerk.first_name not in page
    assert clerk.identifier not in page


@pytest.mark.parametrize("transform", [str.lower, lambda code: code.replace("-", "")])
def test_the_link_works_in_any_case_and_without_dashes(client, transform):
    sent = sent_request()
    response = client.get(reverse("procedures:track", args=[transform(sent.tracking_code)]))
    assert response.status_code == 200
    assert sent.number in response.content.decode()


@pytest.mark.parametrize(
    "view", ["procedures:track", "procedures:anonymous_done", "procedures:track_pdf"]
)
@pytest.mark.parametrize("code", ["K7MX-3PQA-9RTE-WH4C", "pas-un-code", "0000-0000-0000-0000"])
def test_unknown_tracking_codes_are_not_found(client, view, code):
    sent_request()
    assert client.get(reverse(view, args=[code])).status_code == 404


def test_a_tracking_code_does_not_open_a_request_of_an_account(client, citizen):
    procedure = ProcedureFactory()
    draft = services.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers=complete_answers(procedure, {})
    )
    submitted = services.request_submit(citizen_request=draft, by=citizen)
    code = new_tracking_code()
    Request.objects.filter(pk=submitted.pk).update(tracking_code=code)
    assert anonymous.tracked_request(code=code) is None
    assert client.get(reverse("procedures:track", args=[code])).status_code == 404


def test_the_pdf_of_the_request_opens_from_the_tracking_link(client):
    sent = sent_request()
    response = client.get(reverse("procedures:track_pdf", args=[sent.tracking_code.lower()]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert "no-store" in response["Cache-Control"]
