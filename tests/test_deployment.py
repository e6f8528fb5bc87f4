"""The Docker stack cannot run here (no Docker engine): check what can be checked of it."""

import tomllib
from pathlib import Path

import yaml
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
PORTAL_SERVICES = ("web", "worker", "worker-pdf", "beat")


def test_the_stack_has_postgres_redis_web_worker_and_beat():
    assert set(COMPOSE["services"]) == {"postgres", "redis", *PORTAL_SERVICES}


def test_every_portal_service_talks_to_postgres_and_redis_without_debug():
    for name in PORTAL_SERVICES:
        env = COMPOSE["services"][name]["environment"]
        assert env["DATABASE_URL"].startswith("postgres://")
        assert env["CELERY_BROKER_URL"].startswith("redis://redis:")
        assert env["DEBUG"] == "0"
        assert "?" in env["SECRET_KEY"], "the secret must come from the environment, not the file"
        assert env["SECURE_COOKIES"] == "${SECURE_COOKIES:-1}", "cookies are secure by default"


def test_web_runs_gunicorn_and_worker_and_beat_run_celery():
    assert "gunicorn" in COMPOSE["services"]["web"]["command"]
    assert COMPOSE["services"]["worker"]["command"][:4] == [
        "celery",
        "-A",
        "citizen_portal",
        "worker",
    ]
    assert COMPOSE["services"]["beat"]["command"][:4] == ["celery", "-A", "citizen_portal", "beat"]


def test_the_request_pdfs_have_a_worker_of_their_own_at_a_lower_priority():
    command = COMPOSE["services"]["worker-pdf"]["command"]
    assert command[:3] == ["nice", "-n", "10"]
    assert command[3:7] == ["celery", "-A", "citizen_portal", "worker"]
    assert command[command.index("-Q") + 1] == "pdf"
    assert "-Q" not in COMPOSE["services"]["worker"]["command"]  # the default queue


def test_gunicorn_is_reachable_from_this_host_only():
    # Behind the proxy, a client reaching gunicorn straight could forge X-Forwarded-For.
    assert COMPOSE["services"]["web"]["ports"] == ["127.0.0.1:8000:8000"]


def test_the_image_copies_every_local_app():
    dockerfile = (ROOT / "Dockerfile").read_text()
    local_apps = [app for app in settings.INSTALLED_APPS if (ROOT / app).is_dir()]
    for app in local_apps:
        assert f"COPY {app} ./{app}" in dockerfile


def portal_packages() -> set[str]:
    """Every top-level package the site runs: the apps and the ground floor, not the tools."""
    packages = {path.parent.name for path in ROOT.glob("*/__init__.py")}
    return packages - {"tests", "bench"}


def test_the_image_and_the_package_hold_every_package_the_site_imports():
    """``common`` is no app, yet every app imports it: ``pip install .`` must ship it."""
    dockerfile = (ROOT / "Dockerfile").read_text()
    included = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"][
        "packages"
    ]["find"]["include"]
    for package in portal_packages():
        assert f"COPY {package} ./{package}" in dockerfile
        assert f"{package}*" in included


def settings_variables() -> set[str]:
    import re

    # The directory's settings are read by their own module (citizen_portal/directory_settings.py).
    source = "".join(
        (ROOT / "citizen_portal" / name).read_text()
        for name in ("settings.py", "directory_settings.py")
    )
    return set(re.findall(r'env_\w+\(\s*"([A-Z0-9_]+)"', source))


def test_env_example_lists_every_setting_and_only_those():
    lines = (ROOT / ".env.example").read_text().splitlines()
    listed = {line.split("=", 1)[0] for line in lines if line and not line.startswith("#")}
    assert listed - {"POSTGRES_PASSWORD"} == settings_variables()


def test_every_variable_the_stack_passes_is_read_by_the_settings():
    for name in PORTAL_SERVICES:
        passed = set(COMPOSE["services"][name]["environment"])
        assert passed <= settings_variables(), passed - settings_variables()


def test_every_command_of_the_stack_names_a_real_module_or_management_command():
    import importlib
    import re

    from django.core.management import get_commands

    web = COMPOSE["services"]["web"]["command"]
    for command in re.findall(r"manage\.py (\w+)", web):
        assert command in get_commands()
    wsgi = re.findall(r"gunicorn --config python:([\w.]+) ([\w.]+):application", web)
    assert wsgi, web
    for config, module in wsgi:
        assert hasattr(importlib.import_module(config), "logger_class")
        assert hasattr(importlib.import_module(module), "application")
    for name in ("worker", "beat"):
        app_module = COMPOSE["services"][name]["command"][2]
        assert hasattr(importlib.import_module(app_module), "celery_app")
    healthcheck = " ".join(COMPOSE["services"]["web"]["healthcheck"]["test"])
    assert "/sante/" in healthcheck
