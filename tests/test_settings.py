"""The portal refuses unsafe production settings; checked in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def start(**env) -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "CAPTCHA_TEST_MODE"}
    }
    clean.update(env, DJANGO_SETTINGS_MODULE="citizen_portal.settings")
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); print('started')"],
        cwd=ROOT,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    "env",
    [
        {},
        {"SECRET_KEY": "x" * 50},
        {"ALLOWED_HOSTS": "portail.mairie.example"},
    ],
)
def test_without_debug_it_refuses_to_start_without_secret_key_and_allowed_hosts(env, tmp_path):
    result = start(VAR_DIR=str(tmp_path), **env)
    assert result.returncode != 0
    assert "SECRET_KEY et ALLOWED_HOSTS" in result.stderr


def test_with_both_it_starts(tmp_path):
    result = start(
        VAR_DIR=str(tmp_path), SECRET_KEY="x" * 50, ALLOWED_HOSTS="portail.mairie.example"
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_the_captcha_test_mode_is_refused_without_debug(tmp_path):
    result = start(
        VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portail.mairie.example",
        CAPTCHA_TEST_MODE="1",
    )
    assert result.returncode != 0
    assert "CAPTCHA_TEST_MODE=1 est refusé" in result.stderr


def test_the_embedded_default_is_sqlite_eager_tasks_and_mail_as_files(settings):
    # The suite may run on PostgreSQL; the default itself is checked in a fresh interpreter.
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.EMAIL_BACKEND,"
        " s.LANGUAGE_CODE, s.TIME_ZONE)"
    )
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "CELERY_BROKER_URL", "EMAIL_HOST"}
    }
    env.update(DEBUG="1", DJANGO_SETTINGS_MODULE="citizen_portal.settings")
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == [
        "django.db.backends.sqlite3",
        "True",
        "django.core.mail.backends.filebased.EmailBackend",
        "fr-fr",
        "Europe/Paris",
    ], out.stderr


def test_a_database_url_switches_to_postgresql_and_a_broker_to_a_real_worker():
    code = (
        "import django; django.setup(); from django.conf import settings as s;"
        "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER)"
    )
    env = dict(
        os.environ,
        DEBUG="1",
        DJANGO_SETTINGS_MODULE="citizen_portal.settings",
        DATABASE_URL="postgres://u@127.0.0.1:5432/x",
        CELERY_BROKER_URL="redis://127.0.0.1:6379/0",
    )
    out = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.split() == ["django.db.backends.postgresql", "False"], out.stderr
