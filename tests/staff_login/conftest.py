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
    slapd_server.configure_portal(slapd, settings=settings, monkeypatch=monkeypatch, roles=ROLES)
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
