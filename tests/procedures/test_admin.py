"""Clerks process requests in Django admin; the town hall configures the catalogue there.

Personas of this file:
- ``civil_clerk``: staff in the « Service état civil » group, which handles the
  « État civil » theme; may see and process its requests, nothing else.
- ``waste_clerk``: staff in the « Service propreté » group (theme « Environnement »).
- ``reader``: staff who may only read the « État civil » requests.
- ``superuser``: sees and does everything.
"""

from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.auth.models import Group, Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures import services
from procedures.models import (
    Certificate,
    Procedure,
    ProcedureField,
    Request,
    RequestEvent,
    RequestState,
)
from tests.factories import ClerkFactory, role_group
from tests.procedures.factories import (
    FieldFactory,
    ProcedureFactory,
    ThemeFactory,
    bulky_waste,
    complete_answers,
)

PARIS = ZoneInfo("Europe/Paris")
PDF_BYTES = (Path(__file__).resolve().parent.parent / "data" / "justificatif.pdf").read_bytes()


def clerks_of(theme, name: str, *codenames: str) -> Group:
    group = Group.objects.create(name=name)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="procedures", codename__in=codenames)
    )
    theme.groups.add(group)
    return group


@pytest.fixture
def civil_status(db):
    return ThemeFactory(title="État civil", slug="etat-civil")


@pytest.fixture
def environment(db):
    return ThemeFactory(title="Environnement", slug="environnement")


@pytest.fixture
def civil_clerk(civil_status):
    user = ClerkFactory(first_name="Bruno", last_name="AGENT")
    user.groups.add(clerks_of(civil_status, "Service état civil", "view_request", "change_request"))
    return user


@pytest.fixture
def waste_clerk(environment):
    user = ClerkFactory(first_name="Paul", last_name="PROPRE")
    user.groups.add(clerks_of(environment, "Service propreté", "view_request", "change_request"))
    return user


@pytest.fixture
def reader(civil_status):
    user = ClerkFactory(first_name="Lucie", last_name="LECTRICE")
    user.groups.add(clerks_of(civil_status, "Lecture état civil", "view_request"))
    return user


@pytest.fixture
def superuser(db):
    return ClerkFactory(is_superuser=True)


@pytest.fixture
def birth_certificate(civil_status):
    procedure = ProcedureFactory(theme=civil_status, title="Acte de naissance")
    FieldFactory(procedure=procedure, name="motif", label="Motif de la demande", order=1)
    return procedure


@pytest.fixture
def pickup(environment):
    return bulky_waste(theme=environment)


def submitted(citizen, procedure, *, answers=None, documents=()) -> Request:
    uploads = [(None, "", SimpleUploadedFile(name, content)) for name, content in documents]
    draft = services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, answers or {"motif": "Mariage"}),
        uploads=uploads,
    )
    return services.request_submit(citizen_request=draft, by=citizen)


def listed(client, **params) -> set[int]:
    response = client.get(reverse("admin:procedures_request_changelist"), params)
    assert response.status_code == 200
    return {request.pk for request in response.context["cl"].result_list}


def change_page(client, request) -> str:
    response = client.get(reverse("admin:procedures_request_change", args=[request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def transition(client, request, name, **data):
    url = reverse("admin:procedures_request_transition", args=[request.pk, name])
    return client.post(url, data, follow=True)


# The list


@pytest.mark.django_db
def test_a_clerk_lists_the_requests_of_his_themes_but_never_drafts(
    client, civil_clerk, citizen, birth_certificate, pickup
):
    mine = submitted(citizen, birth_certificate)
    services.request_draft_save(
        account=citizen, procedure=birth_certificate, member=None, answers={"motif": "Brouillon"}
    )
    elsewhere = submitted(citizen, pickup)
    client.force_login(civil_clerk)
    assert listed(client) == {mine.pk}
    page = client.get(reverse("admin:procedures_request_changelist")).content.decode()
    assert mine.number in page and elsewhere.number not in page
    assert "Reçue" in page


@pytest.mark.django_db
def test_a_superuser_lists_every_theme(client, superuser, citizen, birth_certificate, pickup):
    requests = {submitted(citizen, birth_certificate).pk, submitted(citizen, pickup).pk}
    client.force_login(superuser)
    assert listed(client) == requests


@pytest.mark.django_db
def test_the_list_filters_by_state_procedure_theme_and_date(
    client, superuser, citizen, birth_certificate, pickup
):
    with time_machine.travel(datetime(2026, 1, 15, 10, tzinfo=PARIS), tick=False):
        january = submitted(citizen, birth_certificate)
    with time_machine.travel(datetime(2026, 3, 2, 10, tzinfo=PARIS), tick=False):
        march = submitted(citizen, pickup)
        services.request_transition(citizen_request=march, name="start", by=superuser)
    client.force_login(superuser)

    assert listed(client, state=RequestState.IN_PROGRESS) == {march.pk}
    assert listed(client, state=RequestState.SUBMITTED) == {january.pk}
    assert listed(client, procedure__id__exact=birth_certificate.pk) == {january.pk}
    assert listed(client, procedure__theme__id__exact=pickup.theme_id) == {march.pk}
    assert listed(client, submitted_at__year=2026, submitted_at__month=3) == {march.pk}
    assert listed(
        client,
        submitted_at__gte="2026-01-01 00:00:00+01:00",
        submitted_at__lt="2026-02-01 00:00:00+01:00",
    ) == {january.pk}


@pytest.mark.django_db
def test_the_state_filter_offers_no_draft(client, civil_clerk, citizen, birth_certificate):
    submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    response = client.get(reverse("admin:procedures_request_changelist"))
    state_filter = next(
        f for f in response.context["cl"].filter_specs if f.parameter_name == "state"
    )
    titles = [choice["display"] for choice in state_filter.choices(response.context["cl"])]
    assert "Reçue (1)" in titles and not any(t.startswith("Brouillon") for t in titles)


@pytest.mark.django_db
def test_the_procedure_filter_offers_only_the_clerks_procedures(
    client, civil_clerk, citizen, birth_certificate, pickup
):
    submitted(citizen, birth_certificate)
    submitted(citizen, pickup)
    client.force_login(civil_clerk)
    page = client.get(reverse("admin:procedures_request_changelist")).content.decode()
    assert "Acte de naissance" in page
    assert pickup.title not in page


@pytest.mark.django_db
def test_the_list_is_searched_by_number_name_identifier_and_email(
    client, civil_clerk, citizen, other_citizen, birth_certificate
):
    found = submitted(citizen, birth_certificate)
    other = submitted(other_citizen, birth_certificate)
    client.force_login(civil_clerk)
    for term in (found.number, citizen.last_name, citizen.identifier, citizen.email):
        assert listed(client, q=term) == {found.pk}, term
    assert listed(client, q=other_citizen.last_name) == {other.pk}


@pytest.mark.django_db
def test_the_list_costs_the_same_queries_for_1_and_20_requests(
    client, civil_clerk, citizen, birth_certificate
):
    client.force_login(civil_clerk)
    url = reverse("admin:procedures_request_changelist")
    submitted(citizen, birth_certificate)
    client.get(url)  # Warm the session and the content types.
    with CaptureQueriesContext(connection) as one:
        assert client.get(url).status_code == 200
    for _ in range(19):
        submitted(citizen, ProcedureFactory(theme=birth_certificate.theme))
    with CaptureQueriesContext(connection) as twenty:
        response = client.get(url)
    assert len(response.context["cl"].result_list) == 20
    assert len(twenty) == len(one)


# Who reaches a request


@pytest.mark.django_db
def test_a_clerk_of_another_theme_gets_404_everywhere(
    client, other_service_clerk, citizen, birth_certificate
):
    outside = submitted(citizen, birth_certificate, documents=[("acte.pdf", PDF_BYTES)])
    document = outside.documents.get()
    client.force_login(other_service_clerk)
    assert outside.pk not in listed(client)
    urls = [
        reverse("admin:procedures_request_change", args=[outside.pk]),
        reverse("admin:procedures_request_document", args=[outside.pk, document.pk]),
        reverse("admin:procedures_request_pdf", args=[outside.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    response = client.post(
        reverse("admin:procedures_request_transition", args=[outside.pk, "accept"])
    )
    assert response.status_code == 404
    outside.refresh_from_db()
    assert outside.state == RequestState.SUBMITTED


@pytest.mark.django_db
def test_a_draft_is_404_even_for_a_superuser(client, superuser, citizen, birth_certificate):
    draft = services.request_draft_save(
        account=citizen, procedure=birth_certificate, member=None, answers={}
    )
    client.force_login(superuser)
    response = client.post(reverse("admin:procedures_request_transition", args=[draft.pk, "start"]))
    assert response.status_code == 404
    assert client.get(reverse("admin:procedures_request_pdf", args=[draft.pk])).status_code == 404


@pytest.mark.django_db
def test_a_superuser_opens_any_request(client, superuser, citizen, pickup):
    request = submitted(citizen, pickup, answers={"objets": "Un canapé"})
    client.force_login(superuser)
    assert request.number in change_page(client, request)


@pytest.mark.django_db
def test_citizens_never_reach_the_requests_admin(citizen_client, citizen, birth_certificate):
    request = submitted(citizen, birth_certificate)
    response = citizen_client.post(
        reverse("admin:procedures_request_transition", args=[request.pk, "accept"])
    )
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


@pytest.mark.django_db
def test_requests_are_neither_added_nor_deleted_nor_edited_in_admin(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    assert client.get(reverse("admin:procedures_request_add")).status_code == 403
    delete = reverse("admin:procedures_request_delete", args=[request.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    change = reverse("admin:procedures_request_change", args=[request.pk])
    assert client.post(change, {"subject_name": "Quelqu'un d'autre"}).status_code == 403
    page = change_page(client, request)
    assert 'name="_save"' not in page
    request.refresh_from_db()
    assert request.subject_name != "Quelqu'un d'autre"


# The request page


@pytest.mark.django_db
def test_the_page_shows_the_answers_the_documents_and_the_history(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(
        citizen,
        birth_certificate,
        answers={"motif": "Mariage à Lyon"},
        documents=[("acte.pdf", PDF_BYTES)],
    )
    services.request_transition(citizen_request=request, name="start", by=civil_clerk)
    document = request.documents.get()
    client.force_login(civil_clerk)
    page = change_page(client, request)
    assert '<th scope="row">Motif de la demande</th><td>Mariage à Lyon</td>' in page
    assert reverse("admin:procedures_request_document", args=[request.pk, document.pk]) in page
    assert "acte.pdf" in page
    assert "Envoi par le demandeur" in page and "Prendre en charge" in page
    assert "Bruno AGENT" in page  # The clerk sees who did what.
    assert str(citizen) in page
    assert reverse("admin:procedures_request_pdf", args=[request.pk]) in page


@pytest.mark.django_db
def test_each_button_appears_only_when_its_transition_is_allowed(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)

    def buttons():
        page = change_page(client, request)
        labels = [
            "Prendre en charge",
            "Demander des pièces ou informations",
            "Accepter",
            "Refuser",
            "Terminer",
        ]
        return {label for label in labels if f">{label}</button>" in page}

    assert buttons() == {"Prendre en charge", "Accepter", "Refuser"}
    services.request_transition(citizen_request=request, name="start", by=civil_clerk)
    assert buttons() == {"Demander des pièces ou informations", "Accepter", "Refuser"}
    services.request_transition(citizen_request=request, name="accept", by=civil_clerk)
    assert buttons() == {"Terminer"}
    services.request_transition(citizen_request=request, name="complete", by=civil_clerk)
    assert buttons() == set()
    assert "Cette demande est close" in change_page(client, request)


@pytest.mark.django_db
def test_a_reader_sees_the_request_but_no_button_and_cannot_move_it(
    client, reader, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(reader)
    page = change_page(client, request)
    assert request.number in page
    assert ">Accepter</button>" not in page
    response = client.post(
        reverse("admin:procedures_request_transition", args=[request.pk, "accept"])
    )
    assert response.status_code == 403
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


@pytest.mark.django_db
def test_a_refusal_without_comment_is_refused_and_changes_nothing(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    response = transition(client, request, "refuse", comment="   ")
    assert response.redirect_chain[-1][0] == reverse(
        "admin:procedures_request_change", args=[request.pk]
    )
    assert "Un commentaire est obligatoire pour cette action" in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED
    assert not RequestEvent.objects.filter(request=request, transition="refuse").exists()


@pytest.mark.django_db
def test_a_refusal_with_its_reason_is_recorded_with_the_clerk(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    response = transition(client, request, "refuse", comment="Vous n'êtes pas né dans la commune.")
    assert f"La demande {request.number} est maintenant « Refusée »." in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.REFUSED
    event = RequestEvent.objects.get(request=request, transition="refuse")
    assert event.actor == civil_clerk and event.by_staff
    assert event.comment == "Vous n'êtes pas né dans la commune."
    assert (event.from_state, event.to_state) == (RequestState.SUBMITTED, RequestState.REFUSED)


@pytest.mark.django_db
def test_an_illegal_move_is_refused_with_a_french_message(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    response = transition(client, request, "complete")
    assert "Cette action n&#x27;est pas possible lorsque la demande est « Reçue »." in (
        response.content.decode()
    )
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED
    unknown = reverse("admin:procedures_request_transition", args=[request.pk, "cancel"])
    assert client.post(unknown).status_code == 404


@pytest.mark.django_db
def test_accepting_a_pickup_stores_its_date(client, waste_clerk, citizen, pickup):
    request = submitted(citizen, pickup, answers={"objets": "Un canapé"})
    client.force_login(waste_clerk)
    assert "Date de passage" in change_page(client, request)
    transition(client, request, "accept", appointment_date="2026-06-12")
    request.refresh_from_db()
    assert request.state == RequestState.ACCEPTED
    assert request.appointment_date == date(2026, 6, 12)


@pytest.mark.django_db
def test_an_unreadable_date_is_refused_before_anything_moves(client, waste_clerk, citizen, pickup):
    request = submitted(citizen, pickup, answers={"objets": "Un canapé"})
    client.force_login(waste_clerk)
    response = transition(client, request, "accept", appointment_date="demain")
    assert "La date de passage n&#x27;est pas valide." in response.content.decode()
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


@pytest.mark.django_db
def test_no_date_is_asked_for_a_procedure_without_appointment(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    assert "Date de passage" not in change_page(client, request)


@pytest.mark.django_db
def test_staff_download_a_document_as_an_attachment(
    client, civil_clerk, citizen, birth_certificate
):
    request = submitted(citizen, birth_certificate, documents=[("livret.pdf", PDF_BYTES)])
    document = request.documents.get()
    client.force_login(civil_clerk)
    response = client.get(
        reverse("admin:procedures_request_document", args=[request.pk, document.pk])
    )
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Disposition"].startswith("attachment")
    assert "livret.pdf" in response["Content-Disposition"]


@pytest.mark.django_db
def test_a_document_of_another_request_is_404(client, civil_clerk, citizen, birth_certificate):
    request = submitted(citizen, birth_certificate)
    other = submitted(citizen, birth_certificate, documents=[("livret.pdf", PDF_BYTES)])
    client.force_login(civil_clerk)
    url = reverse("admin:procedures_request_document", args=[request.pk, other.documents.get().pk])
    assert client.get(url).status_code == 404


@pytest.mark.django_db
def test_staff_open_the_request_pdf(client, civil_clerk, citizen, birth_certificate):
    request = submitted(citizen, birth_certificate)
    client.force_login(civil_clerk)
    response = client.get(reverse("admin:procedures_request_pdf", args=[request.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content).startswith(b"%PDF")


# The catalogue


def procedure_form(theme, **overrides) -> dict:
    data = {
        "theme": theme.pk,
        "title": "Carte de stationnement résident",
        "slug": "carte-stationnement",
        "summary": "",
        "description": "",
        "order": 0,
        "kind": Procedure.Kind.STANDARD,
        "concerns": Procedure.Concerns.HOUSEHOLD,
        "account_required": "on",
        "published": "on",
        "service_name": "Police municipale",
        "service_contact": "",
        "silence_rule": "",
        "silence_delay_days": "",
        "fields-TOTAL_FORMS": 1,
        "fields-INITIAL_FORMS": 0,
        "fields-0-name": "vehicule",
        "fields-0-label": "Type de véhicule",
        "fields-0-kind": ProcedureField.Kind.CHOICE,
        "fields-0-required": "on",
        "fields-0-help_text": "",
        "fields-0-choices": "Voiture\nDeux-roues",
        "fields-0-order": 1,
        "documents-TOTAL_FORMS": 1,
        "documents-INITIAL_FORMS": 0,
        "pages-TOTAL_FORMS": 0,
        "pages-INITIAL_FORMS": 0,
        "blocks-TOTAL_FORMS": 0,
        "blocks-INITIAL_FORMS": 0,
        "conditions-TOTAL_FORMS": 0,
        "conditions-INITIAL_FORMS": 0,
        "documents-0-label": "Carte grise",
        "documents-0-help_text": "",
        "documents-0-order": 1,
        # A procedure's processing (issue 25): none here.
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
        "decision_templates-TOTAL_FORMS": 0,
        "decision_templates-INITIAL_FORMS": 0,
        "routes-TOTAL_FORMS": 0,
        "routes-INITIAL_FORMS": 0,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.mark.django_db
def test_staff_define_a_procedure_with_its_fields_and_documents(client, superuser, civil_status):
    client.force_login(superuser)
    response = client.post(reverse("admin:procedures_procedure_add"), procedure_form(civil_status))
    assert response.status_code == 302, response.context["errors"]
    procedure = Procedure.objects.get(slug="carte-stationnement")
    field = procedure.fields.get()
    assert field.choice_list == ["Voiture", "Deux-roues"]
    assert procedure.documents.get().label == "Carte grise"


@pytest.mark.django_db
def test_a_choice_field_without_choices_is_refused(client, superuser, civil_status):
    client.force_login(superuser)
    response = client.post(
        reverse("admin:procedures_procedure_add"),
        procedure_form(civil_status, **{"fields-0-choices": " \n "}),
    )
    assert response.status_code == 200
    assert "Un champ à choix a besoin de ses choix" in response.content.decode()
    assert not Procedure.objects.filter(slug="carte-stationnement").exists()


@pytest.mark.django_db
def test_a_procedure_without_account_must_concern_nobody(client, superuser, civil_status):
    client.force_login(superuser)
    url = reverse("admin:procedures_procedure_add")
    response = client.post(url, procedure_form(civil_status, account_required=None))
    assert response.status_code == 200
    assert "Une démarche sans compte ne connaît pas le foyer" in response.content.decode()
    assert not Procedure.objects.exists()
    response = client.post(
        url,
        procedure_form(
            civil_status,
            account_required=None,
            concerns=Procedure.Concerns.NOBODY,
            kind=Procedure.Kind.CIVIL_STATUS,
            certificate=Certificate.BIRTH,
        ),
    )
    assert response.status_code == 302
    assert Procedure.objects.get().account_required is False


@pytest.mark.django_db
def test_the_catalogue_is_the_functional_administrators_whole_and_no_service_s(
    client, civil_clerk, birth_certificate, pickup
):
    catalogue_admin = ClerkFactory()
    catalogue_admin.groups.add(role_group("Administration fonctionnelle"))
    client.force_login(catalogue_admin)
    response = client.get(reverse("admin:procedures_procedure_changelist"))
    assert {p.pk for p in response.context["cl"].result_list} == {birth_certificate.pk, pickup.pk}
    change = reverse("admin:procedures_procedure_change", args=[pickup.pk])
    assert client.get(change).status_code == 200
    client.force_login(civil_clerk)
    assert client.get(reverse("admin:procedures_procedure_changelist")).status_code == 403
    assert client.get(change).status_code == 403


@pytest.mark.django_db
def test_only_a_superuser_chooses_which_groups_handle_a_theme(
    client, civil_clerk, superuser, civil_status
):
    civil_clerk.groups.get().permissions.add(
        *Permission.objects.filter(
            content_type__app_label="procedures", codename__in=["view_theme", "change_theme"]
        )
    )
    url = reverse("admin:procedures_theme_change", args=[civil_status.pk])
    client.force_login(civil_clerk)
    assert 'name="groups"' not in client.get(url).content.decode()
    client.force_login(superuser)
    assert 'name="groups"' in client.get(url).content.decode()


@pytest.mark.django_db
def test_only_certificate_requests_may_go_without_an_account(client, superuser, civil_status):
    client.force_login(superuser)
    url = reverse("admin:procedures_procedure_add")
    response = client.post(
        url,
        procedure_form(
            civil_status,
            account_required=None,
            concerns=Procedure.Concerns.NOBODY,
            kind=Procedure.Kind.STANDARD,
        ),
    )
    assert response.status_code == 200
    assert "Seules les demandes d" in response.content.decode()
    assert not Procedure.objects.exists()
