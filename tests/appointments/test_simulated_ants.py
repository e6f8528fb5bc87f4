"""The simulated ANTS of the demo: its documented numbers, served under DEBUG only, and
the portal's own client talking to it over HTTP as it would to the ANTS."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import cache

from appointments.ants import checks, simulated
from appointments.ants import client as ants_client

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent.parent


@pytest.fixture
def simulated_on(settings):
    settings.DEBUG = True
    settings.ANTS_SIMULATED = True
    settings.ANTS_API_URL = ""
    cache.clear()


def test_without_debug_the_simulated_ants_answers_404(client, settings):
    settings.DEBUG = False
    settings.ANTS_SIMULATED = True
    assert client.get("/ants/simule/api/status?application_ids=VALIDE0001").status_code == 404


def test_the_demo_numbers_answer_as_documented(client, simulated_on):
    query = "&".join(
        f"application_ids={n}" for n in ("VALIDE0001", "CONSOMME01", "AILLEURS01", "INCONNU001")
    )
    body = client.get(f"/ants/simule/api/status?{query}").json()
    assert body["VALIDE0001"] == {"status": "validated", "appointments": []}
    assert body["CONSOMME01"]["status"] == "consumed"
    assert body["AILLEURS01"]["appointments"] == [simulated.ELSEWHERE]
    assert body["INCONNU001"]["status"] == "unknown"


def test_a_declared_appointment_shows_in_the_status_until_it_is_deleted(client, simulated_on):
    params = (
        "application_id=VALIDE0001&meeting_point=Hôtel de ville&meeting_point_id=1"
        "&appointment_date=2026-03-24T09:00:00"
    )
    assert (
        client.post(f"/ants/simule/api/appointments?{params}&management_url=x").status_code == 200
    )
    status = client.get("/ants/simule/api/status?application_ids=VALIDE0001").json()
    assert status["VALIDE0001"]["appointments"][0]["meeting_point"] == "Hôtel de ville"
    assert client.delete(f"/ants/simule/api/appointments?{params}").status_code == 200
    assert client.get("/ants/simule/api/status?application_ids=VALIDE0001").json() == {
        "VALIDE0001": {"status": "validated", "appointments": []}
    }


def test_the_portal_s_client_talks_to_it_over_http(live_server, simulated_on, settings):
    settings.SITE_URL = live_server.url
    assert ants_client.base_url() == f"{live_server.url}/ants/simule/api"
    result = checks.numbers_check(["VALIDE0001", "CONSOMME01", "AILLEURS01"])
    assert not result.unverified
    assert set(result.problems) == {"CONSOMME01", "AILLEURS01"}
    assert "Mairie de Lyon 3e arrondissement" in result.problems["AILLEURS01"]


@pytest.mark.processes
def test_the_settings_refuse_the_simulated_ants_without_debug(tmp_path):
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DEBUG", "CAPTCHA_TEST_MODE", "PAYMENT_ALLOW_SIMULATED"}
    } | {
        "DJANGO_SETTINGS_MODULE": "citizen_portal.settings",
        "VAR_DIR": str(tmp_path),
        "SECRET_KEY": "x" * 50,
        "ALLOWED_HOSTS": "portail.mairie.example",
        "STRIPE_SECRET_KEY": "sk_test_settings",
        "STRIPE_WEBHOOK_SECRET": "whsec_settings",
        "ANTS_SIMULATED": "1",
    }
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    assert "L'ANTS simulée est refusée" in result.stderr
