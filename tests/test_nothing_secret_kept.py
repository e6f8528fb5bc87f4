"""Nothing secret is stored or logged: answers, passwords, tracking codes.

The database is searched whole (``dumpdata``) and the logs are read where the portal
writes them: the console handler of LOGGING, with its formatter and filters, and
gunicorn's access log from a real gunicorn.
"""

import io
import logging
import os
import re
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from common.logs import mask_tracking_codes
from procedures.anonymous import new_tracking_code
from tests.factories import ANSWER, UserFactory
from tests.procedures.conftest import upload
from tests.procedures.factories import bulky_waste
from tests.procedures.test_citizen_views import submit_via_views

ROOT = Path(__file__).resolve().parent.parent
WRONG_ANSWER = "Rintintin-Zq9-secret"
WRONG_PASSWORD = "Mauvais-Mot2passe-Zq9!"


@pytest.fixture
def portal_log():
    """What the portal's console handler writes, every logger at DEBUG meanwhile."""
    root = logging.getLogger()
    (console,) = [h for h in root.handlers if h.get_name() == "console"]
    stream = io.StringIO()
    previous_stream = console.setStream(stream)
    levels = {name: logging.getLogger(name).level for name in ("", "axes", "django")}
    for name in levels:
        logging.getLogger(name).setLevel(logging.DEBUG)
    yield stream
    console.setStream(previous_stream)
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)


def database_dump() -> str:
    out = io.StringIO()
    call_command("dumpdata", stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_a_wrong_security_answer_is_neither_stored_nor_logged(client, portal_log):
    citizen = UserFactory()
    client.post(
        reverse("accounts:password_forgotten"),
        {"identifier": citizen.identifier, "answer": WRONG_ANSWER},
    )
    assert "axes" in database_dump()  # the attempt is recorded...
    assert WRONG_ANSWER not in database_dump()  # ...without the answer
    assert WRONG_ANSWER not in portal_log.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("url", [reverse("accounts:login"), reverse("admin:login")])
def test_a_wrong_password_is_neither_stored_nor_logged(client, portal_log, url):
    citizen = UserFactory()
    client.post(url, {"username": citizen.identifier, "password": WRONG_PASSWORD})
    assert WRONG_PASSWORD not in database_dump()
    assert WRONG_PASSWORD not in portal_log.getvalue()


@pytest.mark.django_db
def test_a_password_change_with_a_wrong_old_password_keeps_nothing(citizen_client, portal_log):
    citizen_client.post(
        reverse("accounts:password_change"),
        {"old_password": WRONG_PASSWORD, "password1": "x", "password2": "x"},
    )
    assert WRONG_PASSWORD not in database_dump()
    assert WRONG_PASSWORD not in portal_log.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", [str.upper, str.lower, lambda code: code.replace("-", "")])
def test_a_tracking_code_never_reaches_the_log(client, portal_log, spelling):
    code = new_tracking_code()
    response = client.get(f"/suivi/{spelling(code)}/pdf/", HTTP_REFERER=f"/suivi/{code}/")
    assert response.status_code == 404
    log = portal_log.getvalue()
    assert "Not Found: /suivi/***" in log  # the 404 is still logged...
    assert spelling(code) not in log and code not in log  # ...without its key


@pytest.mark.django_db
def test_a_temporary_password_is_neither_stored_in_clear_nor_logged(
    client, portal_log, django_capture_on_commit_callbacks
):
    citizen = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("accounts:password_forgotten"),
            {"identifier": citizen.identifier, "answer": ANSWER},
        )
    temporary = re.search(r"Mot de passe temporaire : (\S+)", mail.outbox[-1].body).group(1)
    client.post(reverse("accounts:login"), {"username": citizen.identifier, "password": temporary})
    assert temporary not in database_dump()
    assert temporary not in portal_log.getvalue()


@pytest.mark.django_db
def test_a_document_name_is_not_logged(citizen_client, portal_log, clerk):
    procedure = bulky_waste()
    name = "releve-bancaire-Zq9-MARTIN.pdf"
    document = {f"doc_{procedure.documents.get().pk}": upload(name, source="justificatif.pdf")}
    sent = submit_via_views(citizen_client, procedure, files=document)
    assert sent.documents.get().original_name == name  # kept for the clerk...
    citizen_client.get(reverse("procedures:detail", args=[sent.pk]))
    assert name not in portal_log.getvalue()  # ...never written to the log
    assert "request submit" in portal_log.getvalue()


def test_the_celery_worker_logs_through_the_portals_handler():
    from citizen_portal.celery import app

    assert app.conf.worker_hijack_root_logger is False


def test_a_code_is_masked_wherever_it_appears():
    code = new_tracking_code()
    assert code not in mask_tracking_codes(f"demande {code} envoyée")
    assert mask_tracking_codes("GET /demandes/12/ HTTP/1.1") == "GET /demandes/12/ HTTP/1.1"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.mark.processes
def test_gunicorns_access_log_masks_tracking_codes_in_the_path_and_the_referrer(tmp_path):
    code = new_tracking_code()
    port = free_port()
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(DEBUG="1", VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="citizen_portal.settings")
    gunicorn = Path(sys.executable).with_name("gunicorn")
    command = [str(gunicorn), "--config", "python:citizen_portal.gunicorn_conf"]
    command += ["--bind", f"127.0.0.1:{port}", "--workers", "1", "citizen_portal.wsgi:application"]
    server = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
    )
    try:
        # A code that cannot exist (0 is not in its alphabet): a 404 without a database.
        request = urllib.request.Request(
            f"http://127.0.0.1:{port}/suivi/{code.lower()}0/pdf/",
            headers={"Referer": f"http://127.0.0.1:{port}/suivi/{code}/"},
        )
        for _ in range(100):
            try:
                urllib.request.urlopen(request, timeout=5)  # noqa: S310 (our own server)
            except urllib.error.HTTPError as error:
                assert error.code == 404
                break
            except OSError:
                time.sleep(0.1)
    finally:
        server.terminate()
        output, _ = server.communicate(timeout=30)
    assert '"GET /suivi/***/pdf/ HTTP/1.1" 404' in output
    assert "Not Found: /suivi/***/pdf/" in output  # Django's own line, through LOGGING
    assert code not in output and code.lower() not in output
