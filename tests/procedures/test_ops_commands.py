import csv
import io
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command

from notifications.models import Message, MessageStatus
from procedures import services
from procedures.models import Request
from tests.procedures.conftest import upload
from tests.procedures.factories import bulky_waste, complete_answers

PARIS = ZoneInfo("Europe/Paris")


def sent_request(citizen, procedure, **answers):
    draft = services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, {"objets": "Canapé", **answers}),
        uploads=[(procedure.documents.first(), "", upload("justificatif.pdf"))],
    )
    return services.request_submit(citizen_request=draft, by=citizen)


@pytest.mark.django_db
def test_purge_deletes_old_drafts_closed_anonymous_requests_and_old_messages(
    citizen, clerk, time_machine, capsys, django_capture_on_commit_callbacks
):
    from common.private_storage import private_storage

    procedure = bulky_waste()
    time_machine.move_to(datetime(2025, 1, 10, 10, tzinfo=PARIS), tick=False)
    old_draft = services.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers={}
    )
    kept = sent_request(citizen, procedure)
    anonymous = sent_request(citizen, procedure)
    Request.objects.filter(pk=anonymous.pk).update(account=None, tracking_code="TEST-CODE")
    services.request_transition(
        citizen_request=anonymous, name="refuse", by=clerk, comment="Hors délai"
    )
    Message.objects.update(
        status=MessageStatus.SENT, sent_at=datetime(2025, 1, 10, 10, tzinfo=PARIS)
    )
    document_file = anonymous.documents.get().file.name

    time_machine.move_to(datetime(2026, 3, 1, 10, tzinfo=PARIS), tick=False)
    call_command("purge", "--dry-run")
    out = capsys.readouterr().out
    assert "  1 brouillon(s)\n" in out and "  1 demande(s) sans compte\n" in out
    assert Request.objects.count() == 3

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge")
    out = capsys.readouterr().out
    assert "  1 brouillon(s)\n" in out and "  1 demande(s) sans compte\n" in out
    assert "Terminé" in out
    assert set(Request.objects.values_list("pk", flat=True)) == {kept.pk}
    assert not Request.objects.filter(pk=old_draft.pk).exists()
    assert Message.objects.count() == 0
    assert not private_storage.exists(document_file)
    assert private_storage.exists(kept.documents.get().file.name)


@pytest.mark.django_db
def test_export_requests_writes_one_csv_line_per_request_of_the_period(
    citizen, tmp_path, time_machine
):
    procedure = bulky_waste()
    time_machine.move_to(datetime(2026, 5, 2, 10, tzinfo=PARIS), tick=False)
    first = sent_request(citizen, procedure, acces="Rez-de-chaussée")
    time_machine.move_to(datetime(2026, 7, 2, 10, tzinfo=PARIS), tick=False)
    sent_request(citizen, procedure)
    target = tmp_path / "export.csv"
    call_command(
        "export_requests",
        procedure.slug,
        "--du",
        "01/05/2026",
        "--au",
        "2026-05-31",
        "--sortie",
        str(target),
    )
    rows = list(csv.reader(io.StringIO(target.read_text(encoding="utf-8-sig")), delimiter=";"))
    assert rows[0][:3] == ["numero", "date_envoi", "etat"]
    assert "Accès" in rows[0]
    assert len(rows) == 2
    assert rows[1][0] == first.number and rows[1][2] == "Reçue"
    assert "Rez-de-chaussée" in rows[1]


@pytest.mark.django_db
def test_export_requests_explains_its_errors_in_french():
    with pytest.raises(CommandError, match="Aucune démarche"):
        call_command("export_requests", "inconnue", "--du", "2026-01-01", "--au", "2026-01-31")
    procedure = bulky_waste()
    with pytest.raises(CommandError, match="Date illisible"):
        call_command("export_requests", procedure.slug, "--du", "hier", "--au", "2026-01-31")
