"""The headers of the portal started with the HTTPS settings of ``.env.example``.

A fresh interpreter reads ``.env.example`` as a town would copy it (less the services
this machine does not run) and asks for a page over HTTPS and over plain HTTP.
"""

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.template import Context, Template

ROOT = Path(__file__).resolve().parent.parent
NOT_HERE = {"DATABASE_URL", "REDIS_URL", "CELERY_BROKER_URL", "EMAIL_HOST", "MEDIA_ROOT"}
# The static files' manifest comes from collectstatic, which the image runs: not needed here.
ASK = """
import json, django
django.setup()
from django.conf import settings
from django.test import Client
static = "django.contrib.staticfiles.storage.StaticFilesStorage"
settings.STORAGES["staticfiles"]["BACKEND"] = static
client = Client()
https = client.get("/compte/connexion/", secure=True, HTTP_HOST="portail.mairie.example")
http = client.get("/compte/connexion/", HTTP_HOST="portail.mairie.example")
cookies = {
    name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
    for name, c in https.cookies.items()
}
print(json.dumps({
    "status": https.status_code,
    "headers": dict(https.headers),
    "cookies": cookies,
    "http": [http.status_code, http.get("Location")],
}))
"""


def env_example() -> dict:
    lines = (ROOT / ".env.example").read_text(encoding="utf-8").splitlines()
    pairs = (line.split("=", 1) for line in lines if "=" in line and not line.startswith("#"))
    return {key: value for key, value in pairs if value and key not in NOT_HERE}


@pytest.fixture(scope="module")
def production(tmp_path_factory):
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "CAPTCHA_TEST_MODE"}}
    env = {k: v for k, v in env.items() if k not in NOT_HERE}
    env.update(env_example(), VAR_DIR=str(tmp_path_factory.mktemp("var")))
    env.update(STRIPE_SECRET_KEY="sk_test_headers", STRIPE_WEBHOOK_SECRET="whsec_headers")
    env["DJANGO_SETTINGS_MODULE"] = "citizen_portal.settings"
    result = subprocess.run(
        [sys.executable, "-c", ASK], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1])


def directives(policy: str) -> dict:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: values for name, *values in parts}


def test_the_csp_allows_our_own_files_only_and_no_inline_code(production):
    csp = directives(production["headers"]["Content-Security-Policy"])
    assert csp["default-src"] == ["'none'"]
    assert csp["script-src"] == ["'self'"] and csp["style-src"] == ["'self'"]
    assert csp["frame-ancestors"] == ["'none'"]
    assert csp["base-uri"] == ["'none'"] and csp["object-src"] == ["'none'"]
    everything = " ".join(sum(csp.values(), []))
    assert "unsafe" not in everything and "data:" not in everything


def test_powerful_features_are_off(production):
    policy = production["headers"]["Permissions-Policy"]
    for feature in ("camera", "microphone", "geolocation", "payment", "usb"):
        assert f"{feature}=()" in policy


def test_https_headers_and_secure_cookies(production):
    headers = production["headers"]
    assert production["status"] == 200
    assert headers["Strict-Transport-Security"].startswith("max-age=31536000")
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["Referrer-Policy"] == "same-origin"
    assert production["cookies"]["csrftoken"] == {
        "secure": True,
        "httponly": False,  # Django's choice: the token is in the form anyway
        "samesite": "Lax",
    }


def test_plain_http_is_sent_to_https(production):
    assert production["http"] == [301, "https://portail.mairie.example/compte/connexion/"]


def test_the_progress_bar_needs_no_style_attribute():
    in_progress = SimpleNamespace(state="in_progress")
    bar = Template("{% load requests %}{% progress_bar item %}").render(
        Context({"item": in_progress})
    )
    assert "style=" not in bar
    assert "progress__fill--step-2" in bar


@pytest.mark.django_db
def test_a_pdf_shown_in_the_browser_keeps_only_frame_ancestors(citizen_client, citizen):
    """Chromium's PDF viewer needs inline styles and its plugin: the page policy blanks it."""
    from tests.procedures.test_pdf import pdf_url, submitted

    response = citizen_client.get(pdf_url(submitted(citizen)))
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Security-Policy"] == "frame-ancestors 'none'"
    assert response["X-Frame-Options"] == "DENY"


@pytest.mark.django_db
def test_every_page_keeps_the_full_policy(client):
    policy = directives(client.get("/").headers["Content-Security-Policy"])
    assert policy["default-src"] == ["'none'"] and policy["object-src"] == ["'none'"]
