"""Files follow their rows: counted on disk before and after each way of deleting one,
and after uploads whose transaction rolls back."""

import os
import time
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from common.files import atomic_with_files
from common.private_storage import private_storage
from procedures import services as procedures
from procedures.models import Request, RequestDocument
from procedures.pdf import request_pdf_content
from procedures.uploads import MAX_DOCUMENTS_PER_REQUEST
from tests.privacy.conftest import files_on_disk, sent_request
from tests.procedures.conftest import upload
from tests.procedures.factories import bulky_waste

pytestmark = pytest.mark.django_db


@pytest.fixture
def procedure():
    return bulky_waste()


def documents_on_disk() -> list[str]:
    return [name for name in files_on_disk() if name.startswith("documents/")]


def draft_with_document(citizen, procedure, name="justificatif.pdf"):
    return procedures.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers={},
        uploads=[(procedure.documents.first(), "", upload(name))],
    )


def test_replacing_a_drafts_document_deletes_the_old_file_after_commit(
    citizen, procedure, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        draft = draft_with_document(citizen, procedure)
    first = documents_on_disk()
    assert len(first) == 1
    with django_capture_on_commit_callbacks(execute=True):
        procedures.request_draft_save(
            account=citizen,
            procedure=procedure,
            member=None,
            answers={},
            uploads=[(procedure.documents.first(), "", upload("photo.png"))],
            citizen_request=draft,
        )
    after = documents_on_disk()
    assert len(after) == 1 and after != first
    assert after == [RequestDocument.objects.get().file.name]


def test_a_save_refused_at_the_eleventh_document_leaves_no_file(citizen, procedure):
    uploads = [(None, "", upload("justificatif.pdf")) for _ in range(MAX_DOCUMENTS_PER_REQUEST)]
    uploads.append((None, "", upload("photo.png")))
    with pytest.raises(ValidationError):
        procedures.request_draft_save(
            account=citizen, procedure=procedure, member=None, answers={}, uploads=uploads
        )
    assert not Request.objects.exists()
    assert documents_on_disk() == []


def test_an_upload_in_a_transaction_that_rolls_back_leaves_no_file(citizen, procedure):
    draft = procedures.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers={}
    )
    with pytest.raises(RuntimeError), atomic_with_files():
        procedures.document_add(citizen_request=draft, upload=upload("justificatif.pdf"))
        assert len(documents_on_disk()) == 1
        raise RuntimeError("something after the upload failed")
    assert documents_on_disk() == []
    assert not RequestDocument.objects.exists()


def test_a_deletion_that_rolls_back_keeps_the_file(citizen, procedure):
    draft = draft_with_document(citizen, procedure)
    with pytest.raises(RuntimeError), transaction.atomic():
        procedures.request_draft_delete(citizen_request=draft)
        raise RuntimeError("rolled back")
    assert len(documents_on_disk()) == 1
    assert RequestDocument.objects.count() == 1


def test_deleting_a_draft_deletes_its_files(citizen, procedure, django_capture_on_commit_callbacks):
    draft = draft_with_document(citizen, procedure)
    assert len(documents_on_disk()) == 1
    with django_capture_on_commit_callbacks(execute=True):
        procedures.request_draft_delete(citizen_request=draft)
    assert files_on_disk() == []


def test_deleting_a_request_any_way_deletes_its_documents_and_cached_pdf(
    citizen, procedure, django_capture_on_commit_callbacks
):
    request = sent_request(citizen, procedure)
    request_pdf_content(request)
    assert len(files_on_disk()) == 2  # The document and the PDF.
    with django_capture_on_commit_callbacks(execute=True):
        Request.objects.filter(pk=request.pk).delete()  # As the admin or a cascade would.
    assert files_on_disk() == []


def age(name: str, hours: int) -> None:
    moment = time.time() - hours * 3600
    os.utime(private_storage.path(name), (moment, moment))


def test_purge_sweeps_the_files_no_row_names_once_a_day_old(
    citizen, procedure, capsys, django_capture_on_commit_callbacks
):
    from django.core.files.base import ContentFile

    kept = sent_request(citizen, procedure)
    request_pdf_content(kept)
    old_orphan = private_storage.save("documents/ab/orphelin", ContentFile(b"%PDF-1.4"))
    fresh_orphan = private_storage.save("documents/ab/en-cours", ContentFile(b"%PDF-1.4"))
    stale_pdf = private_storage.save("pdf/999999/ancien.pdf", ContentFile(b"%PDF-1.4"))
    for name in (old_orphan, stale_pdf, kept.documents.get().file.name):
        age(name, 25)
    for name in files_on_disk():
        if name.startswith("pdf/") and name != stale_pdf:
            age(name, 25)
    assert len(files_on_disk()) == 5

    call_command("purge", "--dry-run")
    assert "  2 fichier(s) sans ligne\n" in capsys.readouterr().out
    assert len(files_on_disk()) == 5

    with django_capture_on_commit_callbacks(execute=True):
        call_command("purge")
    assert "  2 fichier(s) sans ligne\n" in capsys.readouterr().out
    remaining = files_on_disk()
    assert old_orphan not in remaining and stale_pdf not in remaining
    assert fresh_orphan in remaining
    assert kept.documents.get().file.name in remaining
    assert len(remaining) == 3


def test_the_purge_of_a_draft_takes_its_file(
    citizen, procedure, time_machine, django_capture_on_commit_callbacks
):
    time_machine.move_to(timezone.now() - timedelta(days=31), tick=False)
    draft_with_document(citizen, procedure)
    time_machine.move_to(timezone.now() + timedelta(days=31), tick=False)
    with django_capture_on_commit_callbacks(execute=True):
        assert procedures.drafts_purge() == 1
    assert documents_on_disk() == []
