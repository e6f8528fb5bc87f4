"""« Télécharger mes données »: the archive of a household with every kind of data, built by
the worker, offered to its owner alone, gone after a day."""

import json
import zipfile
from datetime import timedelta
from io import BytesIO, StringIO

import pytest
from django.urls import reverse
from django.utils import timezone

from privacy import exports
from privacy.models import DataExport
from tests.privacy.conftest import files_on_disk

pytestmark = pytest.mark.django_db

DATA = reverse("privacy:data")
PREPARE = reverse("privacy:data_export")


def download(client, export) -> zipfile.ZipFile:
    response = client.get(reverse("privacy:data_download", args=[export.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))


@pytest.fixture
def prepared(client, full, django_capture_on_commit_callbacks):
    client.force_login(full.citizen)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(PREPARE)
    assert response.status_code == 302 and response["Location"] == DATA
    return DataExport.objects.get()


def test_the_page_offers_to_prepare_an_archive(citizen_client):
    page = citizen_client.get(DATA).content.decode()
    assert "<h1>Télécharger mes données</h1>" in page
    assert "Préparer l'archive de mes données" in page


def test_the_archive_holds_every_kind_of_data_readable_and_for_a_machine(client, full, prepared):
    assert prepared.state == DataExport.State.READY
    page = client.get(DATA).content.decode()
    assert "Votre archive est prête" in page and "Télécharger l'archive" in page
    archive = download(client, prepared)
    names = archive.namelist()
    assert "resume.html" in names and "donnees.json" in names
    documents = [name for name in names if name.startswith("documents/")]
    assert len(documents) == 2
    assert any(name.endswith("-photo.png") for name in documents)
    assert archive.read(next(n for n in documents if n.endswith(".pdf"))).startswith(b"%PDF")

    data = json.loads(archive.read("donnees.json"))
    assert data["compte"]["identifier"] == full.citizen.identifier
    assert "password" not in json.dumps(data) and "security_answer" not in json.dumps(data)
    assert [e["evenement"] for e in data["historique_du_compte"]][0] == "Compte modifié"
    members = {m["first_names"] for m in data["foyer"]["membres"]}
    assert "Léa" in members
    assert data["foyer"]["historique"]
    requests = {r["numero"]: r for r in data["demandes"]}
    assert requests[full.sent.number]["reponses"]["objets"] == "Canapé"
    assert requests[full.sent.number]["documents"][0]["nom"] == "justificatif.pdf"
    assert requests[full.civil_status.number]["historique"][-1]["vers"] == "Acceptée"
    assert None in requests  # The draft.
    assert data["messages"] and data["messages"][0]["objet"]
    assert {i["numero"] for i in data["factures"]} == {
        full.paid_invoice.number,
        full.unpaid_invoice.number,
    }
    assert data["paiements"][0]["factures"] == [full.paid_invoice.number]
    assert data["paiements"][0]["montant"] == "12.50"

    summary = archive.read("resume.html").decode()
    assert '<html lang="fr">' in summary
    assert full.sent.number in summary and "Léa" in summary
    assert full.paid_invoice.number in summary


def test_a_second_click_while_it_is_prepared_returns_the_same_archive(full):
    first = exports.data_export_request(account=full.citizen)  # Not built: no commit here.
    second = exports.data_export_request(account=full.citizen)
    assert first.pk == second.pk and DataExport.objects.count() == 1


def test_another_citizen_gets_404_for_the_archive(client, prepared, other_citizen):
    client.force_login(other_citizen)
    url = reverse("privacy:data_download", args=[prepared.pk])
    assert client.get(url).status_code == 404
    assert "Votre archive est prête" not in client.get(DATA).content.decode()


def test_anonymous_visitors_are_sent_to_the_login(client, prepared):
    client.logout()
    response = client.get(reverse("privacy:data_download", args=[prepared.pk]))
    assert response.status_code == 302 and "connexion" in response["Location"]


def test_the_archive_is_deleted_after_a_day_with_its_file(
    client, full, prepared, time_machine, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    assert [name for name in files_on_disk() if name.startswith("exports/")]
    time_machine.move_to(timezone.now() + timedelta(hours=23), tick=False)
    client.force_login(full.citizen)  # Sessions last four hours.
    assert client.get(reverse("privacy:data_download", args=[prepared.pk])).status_code == 200
    time_machine.move_to(timezone.now() + timedelta(hours=2), tick=False)
    assert client.get(reverse("privacy:data_download", args=[prepared.pk])).status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge", stdout=StringIO())
    assert not DataExport.objects.exists()
    assert not [name for name in files_on_disk() if name.startswith("exports/")]


def test_a_failed_build_says_so_and_offers_to_try_again(client, citizen, monkeypatch):
    def broken(**kwargs):
        raise OSError("disque plein")

    monkeypatch.setattr(exports, "archive_write", broken)
    export = DataExport.objects.create(account=citizen)
    with pytest.raises(OSError):
        exports.data_export_build(pk=export.pk)
    export.refresh_from_db()
    assert export.state == DataExport.State.FAILED and not export.file
    client.force_login(citizen)
    page = client.get(DATA).content.decode()
    assert "La préparation de votre archive a échoué" in page
    assert "Préparer l'archive de mes données" in page
