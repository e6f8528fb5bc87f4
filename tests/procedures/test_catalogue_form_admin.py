"""The catalogue's pages, blocks and conditions in the admin: checked at save, and the
« Aperçu » that renders the form without creating any request."""

import pytest
from django.urls import reverse

from procedures.models import Condition, Operator, Procedure, ProcedureField, Request
from tests.backoffice import personas
from tests.procedures.factories import demo_form

pytestmark = pytest.mark.django_db


def change_data(procedure) -> dict:
    """The change form of a procedure as the admin sends it back, without its inlines'
    rows (each inline keeps what it holds)."""
    data = {
        key: getattr(procedure, key)
        for key in ("title", "slug", "summary", "description", "order", "kind", "concerns")
    }
    data.update(
        theme=procedure.theme_id,
        account_required="on",
        published="on",
        service_name=procedure.service_name,
        service_contact="",
        silence_rule="",
        silence_delay_days="",
    )
    for prefix in (
        *("pages", "blocks", "fields", "documents", "conditions"),
        *("steps", "decision_templates", "routes"),  # issue 25: the processing
    ):
        data[f"{prefix}-TOTAL_FORMS"] = 0
        data[f"{prefix}-INITIAL_FORMS"] = 0
    return data


def test_saving_a_form_whose_condition_looks_ahead_says_so_and_unpublishes(client):
    procedure = demo_form("reservation-de-salle")
    revision = procedure.revision
    # A condition on a later question: the association's name shown by the room chosen.
    Condition.objects.create(
        procedure=procedure,
        field=ProcedureField.objects.get(procedure=procedure, name="nom_association"),
        source=ProcedureField.objects.get(procedure=procedure, name="salle"),
        operator=Operator.EQUALS,
        value="Salle des fêtes (200 personnes)",
    )
    client.force_login(personas.catalogue_admin())
    url = reverse("admin:procedures_procedure_change", args=[procedure.pk])
    response = client.post(url, change_data(procedure), follow=True)
    page = response.content.decode()
    assert "n&#x27;est pas avant lui" in page
    assert "La démarche est dépubliée tant que ces points restent." in page
    procedure.refresh_from_db()
    assert not procedure.published and procedure.revision == revision + 1


def test_the_preview_shows_the_pages_with_their_conditions_and_creates_nothing(client):
    procedure = demo_form("reservation-de-salle")
    client.force_login(personas.catalogue_admin())
    first = reverse("admin:procedures_procedure_preview", args=[procedure.pk, 1])
    page = client.get(first + "?recommencer=1").content.decode()
    assert "Étape 1 sur 2 : Le demandeur" in page and "Seulement si « Vous êtes »" in page
    response = client.post(
        first,
        {
            "f_vous_etes": "Une association",
            "f_nom_association": "Les Amis du Parc",
            "f_siret": "732 829 320 00075",
        },
    )
    assert response.context["form"].errors["f_siret"] == [
        "Ce numéro SIRET n'existe pas : vérifiez chacun de ses chiffres."
    ]
    response = client.post(
        first,
        {
            "f_vous_etes": "Une association",
            "f_nom_association": "Les Amis du Parc",
            "f_siret": "732 829 320 00074",
        },
    )
    second = reverse("admin:procedures_procedure_preview", args=[procedure.pk, 2])
    assert response["Location"] == second
    page = client.get(second).content.decode()
    assert "Statuts de l&#x27;association" in page  # the association's document is asked
    assert not Request.objects.exists()
    assert Procedure.objects.count() == 1


def test_the_preview_is_for_the_catalogue_s_staff_only(client, clerk):
    procedure = demo_form("reservation-de-salle")
    client.force_login(clerk)
    url = reverse("admin:procedures_procedure_preview", args=[procedure.pk, 1])
    assert client.get(url).status_code == 403
