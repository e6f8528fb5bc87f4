"""Private notes on a request (procedures.desk.notes): written by the clerks of its
service, read by them and superusers, never by the citizen.

« Never in a citizen's page, mail, PDF, archive or export » is checked by writing a note
whose text is unique (``SECRET``) and searching it in every output a citizen can get.

Personas: ``clerk_of_the_request`` (« Service Environnement », the theme of the demo's
bulky-waste request); ``reader`` (the same theme, view permission only); ``full`` is the
citizen of tests/privacy with a request in every state, an archive-worthy account.
"""

import io
import json
import zipfile
from io import StringIO

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse

from notifications.models import Message
from privacy import closure
from privacy.archive import archive_write
from procedures import pdf, services
from procedures.models import Request, RequestNote
from procedures.services import requests_purge
from tests.factories import ClerkFactory, role_group
from tests.privacy.conftest import make_full
from tests.procedures.test_pdf import text_of

pytestmark = pytest.mark.django_db
SECRET = "NOTE-SECRETE appelé la famille le 3/12, attend le certificat de radiation"


@pytest.fixture
def full(citizen, clerk, settings, django_capture_on_commit_callbacks):
    settings.PAYMENT_PROVIDER = "simulated"
    with django_capture_on_commit_callbacks(execute=True):
        return make_full(citizen, clerk)


@pytest.fixture
def clerk_of_the_request(full):
    group = role_group("Service Environnement")
    full.sent.procedure.theme.groups.add(group)
    full.civil_status.procedure.theme.groups.add(group)
    user = ClerkFactory(first_name="Eva", last_name="VERT")
    user.groups.add(group)
    return user


def add_note(client, citizen_request, text=SECRET):
    url = reverse("admin:procedures_request_note", args=[citizen_request.pk])
    return client.post(url, {"text": text}, follow=True)


def admin_page(client, citizen_request) -> str:
    response = client.get(reverse("admin:procedures_request_change", args=[citizen_request.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_note_is_kept_with_its_author_and_date_and_shown_to_the_service(
    client, full, clerk_of_the_request
):
    client.force_login(clerk_of_the_request)
    response = add_note(client, full.sent)

    assert "La note est enregistrée." in response.content.decode()
    note = RequestNote.objects.get(request=full.sent)
    assert (note.author, note.author_name, note.text) == (
        clerk_of_the_request,
        str(clerk_of_the_request),
        SECRET,
    )
    page = admin_page(client, full.sent)
    assert "NOTE-SECRETE" in page and str(clerk_of_the_request) in page
    assert note.at.astimezone().strftime("%d/%m/%Y") in page


def test_a_superuser_reads_the_notes_a_reader_reads_them_without_writing(
    client, full, clerk_of_the_request
):
    client.force_login(clerk_of_the_request)
    add_note(client, full.sent)
    client.force_login(ClerkFactory(is_superuser=True))
    assert "NOTE-SECRETE" in admin_page(client, full.sent)

    reader_group = Group.objects.create(name="Lecture environnement")
    reader_group.permissions.add(Permission.objects.get(codename="view_request"))
    full.sent.procedure.theme.groups.add(reader_group)
    reader = ClerkFactory()
    reader.groups.add(reader_group)
    client.force_login(reader)
    page = admin_page(client, full.sent)
    assert "NOTE-SECRETE" in page and "Enregistrer la note" not in page
    assert add_note(client, full.sent, "Une autre").status_code == 403
    assert RequestNote.objects.count() == 1


def test_a_note_is_never_edited_a_correction_is_a_new_note(client, full, clerk_of_the_request):
    client.force_login(clerk_of_the_request)
    add_note(client, full.sent)
    add_note(client, full.sent, "Correction : certificat reçu le 4/12")
    first = RequestNote.objects.filter(request=full.sent).first()

    first.text = "Réécrit"
    with pytest.raises(ValueError, match="ne se modifie pas"):
        first.save()

    assert list(RequestNote.objects.values_list("text", flat=True)) == [
        SECRET,
        "Correction : certificat reçu le 4/12",
    ]
    # No admin page of its own: nobody reaches a form that could change it.
    from django.contrib import admin

    assert RequestNote not in admin.site._registry


@pytest.mark.parametrize(
    ("text", "message"),
    [("   ", "Écrivez la note"), ("x" * 5001, "au plus 5000 caractères")],
)
def test_an_empty_or_too_long_note_is_refused_with_a_french_message(
    client, full, clerk_of_the_request, text, message
):
    client.force_login(clerk_of_the_request)
    response = add_note(client, full.sent, text)
    assert message in response.content.decode()
    assert not RequestNote.objects.exists()


def test_a_note_appears_in_no_output_a_citizen_can_get(
    client, full, clerk_of_the_request, django_capture_on_commit_callbacks, tmp_path
):
    client.force_login(clerk_of_the_request)
    add_note(client, full.sent)
    add_note(client, full.civil_status)
    # The request moves on and the citizen is written to, notes and all.
    with django_capture_on_commit_callbacks(execute=True):
        services.request_transition(
            citizen_request=full.sent, name="start", by=clerk_of_the_request
        )
        services.request_transition(
            citizen_request=full.sent, name="accept", by=clerk_of_the_request
        )

    client.force_login(full.citizen)
    outputs = {}
    for name, args in [
        ("procedures:request_list", []),
        ("procedures:detail", [full.sent.pk]),
        ("procedures:detail", [full.civil_status.pk]),
        ("notifications:list", []),
        ("privacy:data", []),
    ]:
        response = client.get(reverse(name, args=args))
        assert response.status_code == 200
        outputs[f"{name} {args}"] = response.content.decode()
    for message in Message.objects.filter(account=full.citizen):
        detail = client.get(reverse("notifications:detail", args=[message.pk]))
        outputs[f"message {message.pk}"] = detail.content.decode()
        outputs[f"mail {message.pk}"] = message.subject + message.body_text + message.body_html
    for request in (full.sent, full.civil_status):
        outputs[f"pdf {request.pk}"] = text_of(pdf.request_pdf_bytes(request))
    archive = io.BytesIO()
    archive_write(account=full.citizen, target=archive)
    with zipfile.ZipFile(archive) as opened:
        for name in opened.namelist():
            outputs[f"archive {name}"] = opened.read(name).decode("utf-8", "replace")
    assert json.loads(outputs["archive donnees.json"])["demandes"]  # the archive is not empty
    export = tmp_path / "export.csv"
    call_command(
        "export_requests", full.sent.procedure.slug, "--du", "2000-01-01", "--au", "2100-01-01",
        "--sortie", str(export), stderr=StringIO(),
    )  # fmt: skip
    outputs["export_requests"] = export.read_text(encoding="utf-8-sig")
    assert full.sent.number in outputs["export_requests"]

    leaking = [where for where, text in outputs.items() if "NOTE-SECRETE" in text]
    assert not leaking, leaking


def test_notes_go_with_the_request_when_it_is_purged(client, full, clerk_of_the_request, settings):
    client.force_login(clerk_of_the_request)
    add_note(client, full.sent)
    Request.objects.filter(pk=full.sent.pk).delete()
    assert not RequestNote.objects.exists()
    assert requests_purge() == 0  # nothing else was due


def test_closing_the_account_deletes_the_notes_even_of_the_requests_the_law_keeps(
    client, full, clerk_of_the_request
):
    client.force_login(clerk_of_the_request)
    add_note(client, full.sent)
    add_note(client, full.civil_status)

    closure.account_close(account=full.citizen, by=full.citizen, cancel_open_requests=True)

    assert Request.objects.filter(pk=full.civil_status.pk, account=None).exists()  # kept
    assert not RequestNote.objects.exists()


def test_a_note_with_a_nul_character_is_refused_in_french_not_a_500(
    client, full, clerk_of_the_request
):
    """PostgreSQL stores no NUL in text: the note was a 500 there."""
    client.force_login(clerk_of_the_request)
    response = add_note(client, full.sent, text="appelé\x00la famille")
    assert response.status_code == 200
    assert "caractère nul" in response.content.decode()
    assert not RequestNote.objects.exists()
