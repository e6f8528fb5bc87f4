import pytest

from tests.staff_login import slapd as slapd_server

ROLES = (
    f"Service Scolaire et périscolaire={slapd_server.SCHOOL_GROUP};"
    f"Régie={slapd_server.BILLING_GROUP}"
)


@pytest.fixture
def slapd(tmp_path):
    """A real OpenLDAP server with the town's small directory, for this test alone."""
    slapd_server.skip_or_fail_without_slapd()
    server = slapd_server.slapd_for_tests(tmp_path / "slapd")
    yield server
    server.stop()


@pytest.fixture
def directory(slapd, settings, monkeypatch):
    """The portal configured for that directory as a town would (README), through the same
    reading of the environment as settings.py."""
    from citizen_portal.directory_settings import directory_settings

    environment = {
        "DIRECTORY_URI": slapd.uri,
        "DIRECTORY_BIND_DN": slapd_server.ADMIN_DN,
        "DIRECTORY_BIND_PASSWORD": slapd_server.ADMIN_PASSWORD,
        "DIRECTORY_USER_BASE": slapd_server.PEOPLE,
        "DIRECTORY_GROUP_BASE": slapd_server.GROUPS,
        "DIRECTORY_ROLES": ROLES,
        "DIRECTORY_TIMEOUT": "2",
    }
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    for name, value in directory_settings().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = [
        *settings.AUTHENTICATION_BACKENDS,
        "staff_login.directory.DirectoryBackend",
    ]
    return slapd


@pytest.fixture
def proconnect(settings, monkeypatch):
    """ProConnect configured as in production, answered by the fake at the HTTP edge."""
    from tests.staff_login.proconnect import configure

    return configure(settings, monkeypatch)


@pytest.fixture
def agent(db):
    """A clerk of « Service Scolaire et périscolaire » whose work email ProConnect knows."""
    from tests.factories import ClerkFactory, role_group
    from tests.staff_login.proconnect import WORK_EMAIL

    clerk = ClerkFactory(email=WORK_EMAIL, first_name="Claire", last_name="MARTIN")
    clerk.groups.set([role_group("Service Scolaire et périscolaire")])
    return clerk
