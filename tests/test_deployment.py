"""The Docker stack cannot run here (no Docker engine): check what can be checked of it."""

from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = ("web", "worker", "beat")


def test_the_stack_has_postgres_redis_web_worker_and_beat():
    assert set(COMPOSE["services"]) == {"postgres", "redis", *PORTAL_SERVICES}


def test_every_portal_service_talks_to_postgres_and_redis_without_debug():
    for name in PORTAL_SERVICES:
        env = COMPOSE["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["DEBUG"] == "0"
        assert "?" in env["SECRET_KEY"], "the secret must come from the environment, not the file"


def test_web_runs_gunicorn_and_worker_and_beat_run_celery():
    assert "gunicorn" in COMPOSE["services"]["web"]["command"]
    assert COMPOSE["services"]["worker"]["command"][:4] == [
        "celery",
        "-A",
        "citizen_portal",
        "worker",
    ]
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "citizen_portal", "beat"]


def test_the_image_copies_every_local_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    local_apps = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    for app in local_apps:
        assert f"COPY {app} ./{app}" in dockerfile
