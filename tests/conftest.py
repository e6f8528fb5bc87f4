"""Personas shared by the tests, after healthchecks' alice, bob and charlie.

- ``citizen``: a validated citizen; may do everything a citizen does.
- ``pending_citizen``: registered, not yet validated; may submit procedures but
  not modify the account.
- ``other_citizen``: another household; must never see the citizen's data.
- ``clerk``: town-hall staff in the « Accueil » group: validates accounts, reads
  accounts and households, corrects a citizen's contact data; no requests, no invoices.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.cache import caches
from hypothesis import settings as hypothesis_settings

from citizen_portal.cache_connection import cache_pause
from common.queueing import broker_pause
from tests.factories import (
    ClerkFactory,
    PendingUserFactory,
    UserFactory,
    clerk_of_another_service,
    role_group,
)
from tests.tools import require

# Property tests draw the same examples on every run (CI never fails by chance) and
# keep no example database in the working tree.
hypothesis_settings.register_profile("portal", derandomize=True, database=None, deadline=None)
hypothesis_settings.load_profile("portal")


# The slow kinds that `make test-fast` leaves out (pyproject's markers): a folder or a
# fixture that is one of them marks its tests, so that a new test there cannot forget it.
FOLDER_MARKS = {"faults": "processes", "e2e": "e2e"}
FIXTURE_MARKS = {"production": "processes"}  # tests/test_security_headers.py boots settings


def pytest_collection_modifyitems(config, items):
    for item in items:
        for folder, mark in FOLDER_MARKS.items():
            if folder in item.path.parts[:-1]:
                item.add_marker(getattr(pytest.mark, mark))
        for fixture, mark in FIXTURE_MARKS.items():
            if fixture in getattr(item, "fixturenames", ()):
                item.add_marker(getattr(pytest.mark, mark))


# What the `processes` marker is for: Python in a subprocess (gunicorn, Celery, manage.py,
# the settings in a fresh interpreter) takes seconds each. Quick tools (git, nginx -t,
# espeak-ng, the ldconfig a library's loader runs) need no marker.
SLOW_PROGRAMS = {"gunicorn", "celery"}
SLOW_MARKS = {"processes", "bench", "e2e"}


@pytest.fixture(autouse=True)
def _slow_processes_are_marked(request, monkeypatch):
    """A test that starts Python (gunicorn, Celery, manage.py, settings in a fresh
    interpreter) without the `processes` marker fails, naming it: `make test-fast` must
    not slow down because a new test forgot its marker."""
    if SLOW_MARKS & {mark.name for mark in request.node.iter_markers()}:
        return
    original = subprocess.Popen.__init__

    def checked(self, args, *rest, **kwargs):
        program = args if isinstance(args, str | bytes | os.PathLike) else args[0]
        name = Path(str(program)).name
        if name.startswith("python") or name in SLOW_PROGRAMS or str(program) == sys.executable:
            pytest.fail(
                f"{request.node.nodeid} starts {program}: mark it @pytest.mark.processes",
                pytrace=False,
            )
        original(self, args, *rest, **kwargs)

    monkeypatch.setattr(subprocess.Popen, "__init__", checked)


def pytest_runtest_setup(item):
    """@pytest.mark.needs_tool("espeak-ng"): skipped with its reason where the tool is
    missing, failed in CI (tests/tools.py)."""
    for mark in item.iter_markers("needs_tool"):
        require(mark.args[0])


@pytest.fixture(autouse=True)
def _media_and_mail_in_tmp(settings, tmp_path):
    from django.utils.functional import empty

    from common.private_storage import private_storage

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # The private storage reads MEDIA_ROOT once: each test counts its own files.
    private_storage._wrapped = empty


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with nothing cached: counts and catalogue entries of another
    test's data (SQLite reuses primary keys after a rollback) must not show."""
    for cache in caches.all(initialized_only=True):
        cache.clear()


@pytest.fixture(autouse=True)
def _no_pause_left():
    """A test that made the broker or the cache fail leaves no pause behind for the next."""
    broker_pause.end()
    cache_pause.end()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """Argon2 is slow by design; tests that check the real hasher ask for it with a marker."""
    if "argon2" not in request.keywords:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def citizen(db):
    return UserFactory(first_name="Camille", last_name="MARTIN")


@pytest.fixture
def pending_citizen(db):
    return PendingUserFactory(first_name="Dominique", last_name="DURAND")


@pytest.fixture
def other_citizen(db):
    return UserFactory(first_name="Eve", last_name="INTRUSE")


@pytest.fixture
def clerk(db):
    user = ClerkFactory(first_name="Bruno", last_name="AGENT")
    user.groups.add(role_group("Accueil"))
    return user


@pytest.fixture
def other_service_clerk(db):
    """« A clerk of another service » (tests/factories.py): a service's rights, none of
    the test's themes."""
    return clerk_of_another_service()


@pytest.fixture
def citizen_client(client, citizen):
    client.force_login(citizen)
    return client
