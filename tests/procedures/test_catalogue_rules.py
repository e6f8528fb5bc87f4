"""The catalogue's rules live in the models: a certificate request names its register in a
field (not in its address), and the database refuses what the admin's forms refuse."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from procedures.models import Certificate, Procedure, ProcedureField, Request
from tests.factories import ClerkFactory
from tests.procedures.factories import FieldFactory, ProcedureFactory, ThemeFactory
from tests.procedures.test_anonymous import certificate_procedure, valid_data

pytestmark = pytest.mark.django_db

fill_migration = importlib.import_module("procedures.migrations.0003_fill_certificate")


def start_url(procedure: Procedure) -> str:
    return reverse("procedures:anonymous_start", args=[procedure.slug])


def refused_by_the_database(**options) -> bool:
    try:
        with transaction.atomic():
            ProcedureFactory(**options)
    except IntegrityError:
        return True
    return False


def test_renaming_a_certificate_request_keeps_it_open_without_an_account(client):
    procedure = certificate_procedure(
        slug="acte-de-deces", title="Demande d'acte de décès", certificate=Certificate.DEATH
    )
    procedure.slug = "copie-d-un-acte-du-registre"
    procedure.save(update_fields=["slug"])
    page = client.get(start_url(procedure))
    assert page.status_code == 200
    assert "Date du décès" in page.content.decode()
    response = client.post(start_url(procedure), valid_data(relationship="tiers"))
    assert response.status_code == 302
    assert Request.objects.get().answers["acte"] == Certificate.DEATH


def test_a_certificate_request_without_its_register_is_not_offered(client):
    procedure = certificate_procedure(certificate="")
    assert client.get(start_url(procedure)).status_code == 404


def test_the_model_asks_a_certificate_request_for_its_register():
    procedure = ProcedureFactory.build(
        theme=ThemeFactory(),
        kind=Procedure.Kind.CIVIL_STATUS,
        account_required=False,
        concerns=Procedure.Concerns.NOBODY,
    )
    with pytest.raises(ValidationError) as refused:
        procedure.full_clean()
    assert set(refused.value.message_dict) == {"certificate"}


def test_the_model_refuses_a_register_to_an_ordinary_procedure():
    procedure = ProcedureFactory.build(theme=ThemeFactory(), certificate=Certificate.BIRTH)
    with pytest.raises(ValidationError) as refused:
        procedure.full_clean()
    assert "Seule une demande d'acte d'état civil" in refused.value.message_dict["certificate"][0]


def test_the_model_refuses_an_ordinary_procedure_without_an_account():
    procedure = ProcedureFactory.build(theme=ThemeFactory(), account_required=False)
    with pytest.raises(ValidationError) as refused:
        procedure.full_clean()
    assert set(refused.value.message_dict) == {"account_required", "concerns"}


@pytest.mark.parametrize(
    "options",
    [
        {"account_required": False, "concerns": Procedure.Concerns.NOBODY},
        {
            "account_required": False,
            "kind": Procedure.Kind.CIVIL_STATUS,
            "certificate": Certificate.BIRTH,
            "concerns": Procedure.Concerns.HOUSEHOLD,
        },
        {"certificate": Certificate.MARRIAGE},
    ],
)
def test_the_database_refuses_what_the_model_refuses(options):
    assert refused_by_the_database(**options)


def test_the_database_keeps_a_certificate_request_of_before_without_its_register():
    assert not refused_by_the_database(
        kind=Procedure.Kind.CIVIL_STATUS,
        account_required=False,
        concerns=Procedure.Concerns.NOBODY,
    )


@pytest.mark.parametrize("choices", ["", " \n \t"])
def test_a_choice_field_needs_its_choices_in_the_model_and_the_database(choices):
    field = FieldFactory.build(
        procedure=ProcedureFactory(), kind=ProcedureField.Kind.MULTIPLE_CHOICE, choices=choices
    )
    with pytest.raises(ValidationError) as refused:
        field.full_clean()
    assert "Un champ à choix a besoin de ses choix" in refused.value.message_dict["choices"][0]
    with pytest.raises(IntegrityError), transaction.atomic():
        field.save()


@pytest.mark.parametrize(
    ("slug", "certificate"),
    [
        ("acte-de-naissance", Certificate.BIRTH),
        ("demande-acte-mariage", Certificate.MARRIAGE),
        ("acte-de-deces", Certificate.DEATH),
        ("copie-d-acte", ""),
        ("naissances", ""),
    ],
)
def test_the_data_migration_reads_the_register_as_the_slug_rule_did(slug, certificate):
    assert fill_migration.certificate_from_slug(slug) == certificate


def test_the_catalogue_admin_chooses_the_register_and_shows_the_model_s_refusal(client):
    client.force_login(ClerkFactory(is_superuser=True))
    url = reverse("admin:procedures_procedure_add")
    assert 'name="certificate"' in client.get(url).content.decode()
    data = {
        "theme": ThemeFactory().pk,
        "title": "Acte de décès",
        "slug": "copie-acte",
        "order": 0,
        "kind": Procedure.Kind.CIVIL_STATUS,
        "certificate": "",
        "concerns": Procedure.Concerns.NOBODY,
        "published": "on",
        "service_name": "Service État civil",
        "fields-TOTAL_FORMS": 0,
        "fields-INITIAL_FORMS": 0,
        "documents-TOTAL_FORMS": 0,
        "documents-INITIAL_FORMS": 0,
        "pages-TOTAL_FORMS": 0,
        "pages-INITIAL_FORMS": 0,
        "blocks-TOTAL_FORMS": 0,
        "blocks-INITIAL_FORMS": 0,
        "conditions-TOTAL_FORMS": 0,
        "conditions-INITIAL_FORMS": 0,
        # A procedure's processing (issue 25): none here.
        "steps-TOTAL_FORMS": 0,
        "steps-INITIAL_FORMS": 0,
        "decision_templates-TOTAL_FORMS": 0,
        "decision_templates-INITIAL_FORMS": 0,
        "routes-TOTAL_FORMS": 0,
        "routes-INITIAL_FORMS": 0,
    }
    response = client.post(url, data)
    assert response.status_code == 200
    assert "Choisissez l&#x27;acte que cette demande" in response.content.decode()
    response = client.post(url, data | {"certificate": Certificate.DEATH})
    assert response.status_code == 302
    assert Procedure.objects.get().certificate == Certificate.DEATH
