"""The portal refuses unsafe production settings; checked in a fresh interpreter each time."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# Each boots the settings in a python subprocess (`make test-fast` leaves them out).
pytestmark = pytest.mark.processes


PRODUCTION_VARIABLES = {
    "DEBUG",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "CAPTCHA_TEST_MODE",
    "STRIPE_SECRET_KEY",
    "PAYMENT_ALLOW_SIMULATED",
    "FRANCECONNECT_CLIENT_ID",
    "FRANCECONNECT_SIMULATED",
    "FRANCECONNECT_ALLOW_SIMULATED",
}
STRIPE = {"STRIPE_SECRET_KEY": "sk_test_settings", "STRIPE_WEBHOOK_SECRET": "whsec_settings"}


def start(**env) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
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


def test_with_both_and_a_real_payment_provider_it_starts(tmp_path):
    result = start(
        VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portail.mairie.example",
        **STRIPE,
    )
    assert result.returncode == 0, result.stderr
    assert "started" in result.stdout


def test_without_debug_the_simulated_card_page_is_refused_unless_asked_for(tmp_path):
    production = {"SECRET_KEY": "x" * 50, "ALLOWED_HOSTS": "portail.mairie.example"}
    refused = start(VAR_DIR=str(tmp_path), **production)
    assert refused.returncode != 0
    assert "Paiement simulé refusé" in refused.stderr
    demo_server = start(VAR_DIR=str(tmp_path), PAYMENT_ALLOW_SIMULATED="1", **production)
    assert demo_server.returncode == 0, demo_server.stderr


def test_the_captcha_test_mode_is_refused_without_debug(tmp_path):
    result = start(
        VAR_DIR=str(tmp_path),
        SECRET_KEY="x" * 50,
        ALLOWED_HOSTS="portail.mairie.example",
        CAPTCHA_TEST_MODE="1",
        **STRIPE,
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


# The demo checkout that `make run` prepared: var/demo.env says DEBUG=1.


def demo_checkout(tmp_path: Path) -> Path:
    (tmp_path / "demo.env").write_text("# Written by make run\nDEBUG=1\n", encoding="utf-8")
    return tmp_path


def without_database_url(**env) -> dict:
    return {"DATABASE_URL": "", **env}


def test_make_run_writes_the_demo_file_that_the_settings_read():
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    run = makefile.split("\nrun:", 1)[1].split("\n\n", 1)[0]
    assert 'demo.env"' in run and "DEBUG=1" in run


def test_on_the_demo_checkout_the_readme_commands_run_without_any_variable(tmp_path):
    var = demo_checkout(tmp_path)
    csv = tmp_path / "factures.csv"
    csv.write_text(
        "numero;identifiant;libelle;domaine;montant;date_emission;date_echeance\n", "utf-8"
    )
    clean = {k: v for k, v in os.environ.items() if k not in PRODUCTION_VARIABLES}
    clean["VAR_DIR"] = str(var)
    for name in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "CELERY_BROKER_URL", "REDIS_URL"):
        clean.pop(name, None)
    for command in (["migrate", "-v0"], ["import_invoices", str(csv)], ["purge", "--dry-run"]):
        result = subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=clean,
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert result.returncode == 0, (command, result.stderr)
        assert "SECRET_KEY et ALLOWED_HOSTS" not in result.stderr


@pytest.mark.parametrize(
    "env",
    [
        {"DEBUG": "0"},  # docker-compose.yml and .env.example
        {"DATABASE_URL": "postgres://portal:portal@postgres:5432/portal"},  # a real deployment
    ],
)
def test_the_demo_file_never_turns_debug_on_for_a_deployment(env, tmp_path):
    result = start(VAR_DIR=str(demo_checkout(tmp_path)), **env)
    assert result.returncode != 0
    assert "SECRET_KEY et ALLOWED_HOSTS" in result.stderr


def test_without_the_demo_file_debug_stays_off(tmp_path):
    result = start(VAR_DIR=str(tmp_path), **without_database_url())
    assert result.returncode != 0
    assert "SECRET_KEY et ALLOWED_HOSTS" in result.stderr
