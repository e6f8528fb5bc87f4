"""« Services en ligne » and the procedure forms come from a cache that every edit
of the catalogue clears: each test views the pages first, then changes the catalogue."""

import threading
from datetime import timedelta

import pytest
import time_machine
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from procedures.catalogue import cache as catalogue
from procedures.models import Procedure, ProcedureField
from tests.procedures.factories import (
    DocumentFactory,
    FieldFactory,
    ProcedureFactory,
    ThemeFactory,
    bulky_waste,
)
from tests.test_cache_outage import CLOSED_PORT
from tests.transactions import uncommitted

CATALOGUE = reverse("procedures:catalogue")


def form_url(procedure_or_slug) -> str:
    slug = getattr(procedure_or_slug, "slug", procedure_or_slug)
    return reverse("procedures:start", args=[slug])


def page(client, url) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def catalogue_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "procedures_" in q["sql"]]


@pytest.mark.django_db
def test_renaming_a_procedure_shows_the_new_title_on_its_form(citizen_client):
    procedure = bulky_waste()
    page(citizen_client, CATALOGUE)
    assert "<h1>Collecte des encombrants</h1>" in page(citizen_client, form_url(procedure))
    procedure.title = "Enlèvement des objets volumineux"
    procedure.save()
    form = page(citizen_client, form_url(procedure))
    assert "<h1>Enlèvement des objets volumineux</h1>" in form
    assert "Collecte des encombrants" not in form


@pytest.mark.django_db
def test_renaming_a_theme_shows_the_new_title_in_the_catalogue(citizen_client):
    procedure = bulky_waste(theme=ThemeFactory(title="Environnement"))
    assert "Environnement</a></h3>" in page(citizen_client, CATALOGUE)
    procedure.theme.title = "Propreté urbaine"
    procedure.theme.save()
    catalogue = page(citizen_client, CATALOGUE)
    assert "Propreté urbaine</a></h3>" in catalogue
    assert "Environnement" not in catalogue


@pytest.mark.django_db
def test_unpublishing_takes_the_procedure_off_the_catalogue_and_its_form_answers_404(
    citizen_client,
):
    theme = ThemeFactory(title="Environnement")
    kept = bulky_waste(theme=theme)
    hidden = ProcedureFactory(theme=theme, title="Composteur")
    alone = ProcedureFactory(theme=ThemeFactory(title="Jeunesse"), title="Carte jeune")
    catalogue = page(citizen_client, CATALOGUE)
    assert "2 démarches" in catalogue and "Jeunesse" in catalogue
    page(citizen_client, form_url(hidden))
    for procedure in (hidden, alone):
        procedure.published = False
        procedure.save()
    catalogue = page(citizen_client, CATALOGUE)
    assert "1 démarche<" in catalogue and "2 démarches" not in catalogue
    assert "Jeunesse" not in catalogue
    assert citizen_client.get(form_url(hidden)).status_code == 404
    assert citizen_client.get(form_url(alone)).status_code == 404
    assert citizen_client.get(form_url(kept)).status_code == 200


@pytest.mark.django_db
def test_publishing_a_procedure_again_brings_its_form_back(citizen_client):
    procedure = ProcedureFactory(published=False)
    assert citizen_client.get(form_url(procedure)).status_code == 404
    procedure.published = True
    procedure.save()
    assert citizen_client.get(form_url(procedure)).status_code == 200


@pytest.mark.django_db
def test_a_field_added_to_a_procedure_shows_on_its_form(citizen_client):
    procedure = bulky_waste()
    assert "Numéro de l'étage" not in page(citizen_client, form_url(procedure))
    FieldFactory(
        procedure=procedure,
        name="etage",
        label="Numéro de l'étage",
        kind=ProcedureField.Kind.SHORT_TEXT,
        order=4,
    )
    form = page(citizen_client, form_url(procedure))
    assert 'name="f_etage"' in form
    assert "Numéro de l&#x27;étage" in form


@pytest.mark.django_db
def test_a_field_edited_or_deleted_changes_the_form(citizen_client):
    procedure = bulky_waste()
    page(citizen_client, form_url(procedure))
    field = procedure.fields.get(name="objets")
    field.label = "Liste des objets"
    field.save()
    assert "Liste des objets" in page(citizen_client, form_url(procedure))
    field.delete()
    form = page(citizen_client, form_url(procedure))
    assert "Liste des objets" not in form and 'name="f_objets"' not in form


@pytest.mark.django_db
def test_a_document_requirement_deleted_leaves_the_form(citizen_client):
    procedure = bulky_waste()
    extra = DocumentFactory(procedure=procedure, label="Photo des objets")
    form = page(citizen_client, form_url(procedure))
    assert "Photo des objets" in form and "Justificatif de domicile" in form
    extra.delete()
    form = page(citizen_client, form_url(procedure))
    assert "Photo des objets" not in form
    assert "Justificatif de domicile" in form


@pytest.mark.django_db
def test_a_new_slug_moves_the_form_to_the_new_address(citizen_client):
    procedure = bulky_waste(slug="encombrants")
    page(citizen_client, form_url("encombrants"))
    procedure.slug = "objets-volumineux"
    procedure.save()
    assert citizen_client.get(form_url("encombrants")).status_code == 404
    assert "Collecte des encombrants" in page(citizen_client, form_url("objets-volumineux"))


@pytest.mark.django_db
def test_an_address_cached_as_missing_works_once_the_procedure_is_created(citizen_client):
    assert citizen_client.get(form_url("carte-jeune")).status_code == 404
    ProcedureFactory(slug="carte-jeune", title="Carte jeune")
    assert "<h1>Carte jeune</h1>" in page(citizen_client, form_url("carte-jeune"))


@pytest.mark.django_db
def test_a_second_view_of_the_catalogue_reads_no_catalogue_table(citizen_client):
    bulky_waste()
    page(citizen_client, reverse("home"))  # the header's unread count is cached from here
    with CaptureQueriesContext(connection) as first:
        page(citizen_client, CATALOGUE)
    with CaptureQueriesContext(connection) as second:
        page(citizen_client, CATALOGUE)
    assert catalogue_queries(first)
    assert catalogue_queries(second) == []
    assert len(second) < len(first)


@pytest.mark.django_db
def test_a_second_view_of_a_form_reads_the_procedure_from_the_cache(citizen_client):
    procedure = bulky_waste()
    page(citizen_client, form_url(procedure))
    with CaptureQueriesContext(connection) as again:
        page(citizen_client, form_url(procedure))
    assert catalogue_queries(again) == []


@pytest.mark.django_db
@pytest.mark.parametrize("slug", ["n-existe-pas", "a" * 50, "a" * 51, "a" * 300])
def test_an_unknown_address_answers_404_and_costs_no_catalogue_query_the_second_time(
    citizen_client, slug
):
    bulky_waste()
    assert citizen_client.get(form_url(slug)).status_code == 404
    with CaptureQueriesContext(connection) as again:
        assert citizen_client.get(form_url(slug)).status_code == 404
    assert catalogue_queries(again) == []


@pytest.mark.django_db
def test_what_the_form_says_of_the_citizen_is_each_citizens_own(citizen, other_citizen):
    procedure = bulky_waste()
    first, second = Client(), Client()
    first.force_login(citizen)
    second.force_login(other_citizen)
    mine, theirs = page(first, form_url(procedure)), page(second, form_url(procedure))
    assert "concerne votre foyer (Camille MARTIN)" in mine
    assert "concerne votre foyer (Eve INTRUSE)" in theirs
    assert "Camille" not in theirs


@pytest.mark.django_db
def test_a_form_sent_back_with_errors_shows_them_after_a_blank_form_was_shown(
    citizen_client,
):
    procedure = bulky_waste()
    page(citizen_client, form_url(procedure))
    response = citizen_client.post(
        form_url(procedure), {"f_date_souhaitee": "demain", "f_objets": "Un canapé"}
    )
    assert response.status_code == 200
    form = response.content.decode()
    assert "Saisissez une date valide." in form
    assert 'value="demain"' in form and "Un canapé</textarea>" in form
    assert "Un canapé" not in page(citizen_client, form_url(procedure))


@pytest.mark.django_db(transaction=True)
def test_a_page_read_while_an_edit_is_not_yet_committed_does_not_keep_the_old_version(
    citizen_client,
):
    if connection.vendor != "postgresql":
        pytest.skip("Concurrency is checked on PostgreSQL (CI runs it).")
    procedure = bulky_waste(slug="encombrants")

    def staff_edit():  # as the admin does: the save, then more work, then the commit
        procedure.title = "Enlèvement des objets volumineux"
        procedure.save()

    with uncommitted(staff_edit):
        during = page(citizen_client, form_url("encombrants"))
    assert "<h1>Collecte des encombrants</h1>" in during  # the committed version, so far
    assert "<h1>Enlèvement des objets volumineux</h1>" in page(
        citizen_client, form_url("encombrants")
    )


@pytest.mark.django_db(transaction=True)
def test_an_edit_made_in_another_thread_shows_on_the_next_page(citizen_client):
    """Another thread (or process) moves the shared generation: nothing read before is
    served again, without waiting."""
    procedure = bulky_waste(slug="encombrants")
    assert "<h1>Collecte des encombrants</h1>" in page(citizen_client, form_url("encombrants"))
    edit = threading.Thread(target=rename, args=(procedure, "Objets volumineux"))
    edit.start()
    edit.join()
    assert "<h1>Objets volumineux</h1>" in page(citizen_client, form_url("encombrants"))


def rename(procedure, title):
    try:
        procedure.title = title
        procedure.save()
    finally:
        connection.close()


@pytest.mark.django_db
def test_a_shared_generation_that_starts_again_never_brings_back_an_old_form(
    citizen_client,
):
    """Redis emptied: the counter restarts from 0 and reaches the same numbers again,
    while each process still holds the HTML it rendered under the old ones."""
    procedure = bulky_waste(slug="encombrants")
    procedure.title = "Titre A"
    procedure.save()
    assert "<h1>Titre A</h1>" in page(citizen_client, form_url("encombrants"))
    cache.clear()
    procedure.title = "Nouveau titre"
    procedure.save()
    assert "<h1>Nouveau titre</h1>" in page(citizen_client, form_url("encombrants"))


@pytest.mark.django_db
def test_a_change_made_without_signals_shows_once_the_entry_expires(citizen_client):
    procedure = bulky_waste(slug="encombrants")
    assert "<h1>Collecte des encombrants</h1>" in page(citizen_client, form_url("encombrants"))
    Procedure.objects.filter(pk=procedure.pk).update(title="Titre par SQL")
    assert "<h1>Collecte des encombrants</h1>" in page(citizen_client, form_url("encombrants"))
    with time_machine.travel(timedelta(seconds=catalogue.TIMEOUT + 1)):
        assert "<h1>Titre par SQL</h1>" in page(citizen_client, form_url("encombrants"))


@pytest.mark.django_db
def test_each_page_gets_its_own_copy_of_the_cached_procedure(citizen_client):
    """A view that changes what it was given changes nothing for the next page."""
    bulky_waste(slug="encombrants")
    page(citizen_client, form_url("encombrants"))
    first = catalogue.procedure_with_form("encombrants")
    first.title = "Changé par une vue"
    assert catalogue.procedure_with_form("encombrants").title == "Collecte des encombrants"


@pytest.mark.django_db
def test_without_the_cache_the_catalogue_is_read_from_the_database(citizen_client, settings):
    settings.CACHES = {**settings.CACHES, "default": CLOSED_PORT}
    bulky_waste(slug="encombrants")
    assert catalogue.generation() is None
    assert "<h1>Collecte des encombrants</h1>" in page(citizen_client, form_url("encombrants"))
