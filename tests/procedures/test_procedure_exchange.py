"""Forms shared between towns: export_procedure, import_procedure and the admin's
export action and import page (procedures/catalogue/exchange.py)."""

import copy
import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from procedures.catalogue import selectors
from procedures.catalogue.exchange import ImportRefused, export_procedure, import_procedure, read
from procedures.models import Procedure, ProcedureField, Request
from tests.backoffice import personas
from tests.procedures.factories import demo_form, demo_form_data

pytestmark = pytest.mark.django_db


def exported(procedure) -> dict:
    return export_procedure(selectors.procedure_for_exchange(pk=procedure.pk))


def test_export_then_import_gives_the_same_form(tmp_path):
    original = demo_form("permis-de-stationnement")
    first = exported(original)
    # The demo's file (written with only what differs from the defaults) is the same form.
    assert read(first) == read(demo_form_data("permis-de-stationnement"))
    path = tmp_path / "permis.json"
    call_command("export_procedure", original.slug, sortie=str(path))
    call_command("import_procedure", str(path), slug="permis-copie")
    copy_ = Procedure.objects.get(slug="permis-copie")
    assert not copy_.published
    again = exported(copy_)
    again["procedure"]["slug"] = original.slug
    assert again == first


def test_the_file_holds_no_request_and_no_personal_data(citizen):
    procedure = demo_form("reservation-de-salle")
    Request.objects.create(procedure=procedure, account=citizen, answers={"x": citizen.email})
    text = json.dumps(exported(procedure), ensure_ascii=False)
    assert citizen.email not in text and citizen.last_name not in text
    assert set(exported(procedure)) == {"format", "version", "procedure", "pages", "documents"}


def broken(change) -> dict:
    data = copy.deepcopy(demo_form_data("reservation-de-salle"))
    change(data)
    data["procedure"]["slug"] = "salle-importee"
    return data


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(inconnu=1), "clés inconnues : inconnu"),
        (lambda d: d["pages"][0]["items"][0].update(script="x"), "clés inconnues : script"),
        (
            lambda d: d["pages"][0]["items"][0].update(label="<script>alert(1)</script>"),
            "HTML ou un script",
        ),
        (lambda d: d["pages"][0].update(title="x" * 500), "texte trop long"),
        (lambda d: d["pages"][0]["items"][0].update(kind="eval"), "valeur inconnue « eval »"),
        (
            lambda d: d["pages"][0]["items"][1]["conditions"][0].update(operator="__import__"),
            "valeur inconnue « __import__ »",
        ),
        (
            lambda d: d["pages"][0]["items"][1]["conditions"][0].update(value="Une mairie"),
            "n'est pas un des choix",
        ),
        (
            lambda d: d["pages"][0]["items"][1]["conditions"][0].update(source="siret"),
            "n'est pas avant lui",
        ),
        (lambda d: d.update(version=99), "version 1"),
    ],
)
def test_a_malicious_or_broken_file_is_refused_in_french_and_nothing_is_written(change, message):
    demo_form("reservation-de-salle")
    fields_before = ProcedureField.objects.count()
    with pytest.raises(ImportRefused) as refused:
        import_procedure(broken(change))
    assert any(message in problem for problem in refused.value.problems), refused.value.problems
    assert not Procedure.objects.filter(slug="salle-importee").exists()
    assert ProcedureField.objects.count() == fields_before


def test_the_command_reports_and_imports_nothing(tmp_path):
    demo_form("reservation-de-salle")
    path = tmp_path / "x.json"
    path.write_text(json.dumps(broken(lambda d: d.update(inconnu=1))), encoding="utf-8")
    with pytest.raises(CommandError, match="Rien n'est importé"):
        call_command("import_procedure", str(path))
    path.write_text("pas du json", encoding="utf-8")
    with pytest.raises(CommandError, match="JSON"):
        call_command("import_procedure", str(path))


def test_the_catalogue_s_staff_export_and_import_in_the_admin(client):
    procedure = demo_form("signaler-un-probleme")
    client.force_login(personas.catalogue_admin())
    response = client.post(
        reverse("admin:procedures_procedure_changelist"),
        {"action": "export_action", "_selected_action": [procedure.pk]},
    )
    assert (
        response["Content-Disposition"]
        == 'attachment; filename="demarche-signaler-un-probleme.json"'
    )
    upload = SimpleUploadedFile("f.json", response.content, content_type="application/json")
    response = client.post(
        reverse("admin:procedures_procedure_import"), {"file": upload, "slug": "signaler-copie"}
    )
    copy_ = Procedure.objects.get(slug="signaler-copie")
    assert response["Location"] == reverse("admin:procedures_procedure_change", args=[copy_.pk])
    upload = SimpleUploadedFile("f.json", b'{"format": 1}', content_type="application/json")
    page = client.post(reverse("admin:procedures_procedure_import"), {"file": upload})
    assert (
        "Rien n&#x27;est importé" in page.content.decode()
        or "Rien n'est importé" in page.content.decode()
    )
