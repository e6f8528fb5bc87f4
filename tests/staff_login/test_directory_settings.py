"""The directory's settings as a town writes them: refused in French when incomplete or
malformed, a role the portal does not have stopped by `manage.py check`, and nothing of
python-ldap needed while the directory is not configured."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from citizen_portal.directory_settings import directory_settings, roles_by_group

COMPLETE = {
    "DIRECTORY_URI": "ldap://127.0.0.1:1",
    "DIRECTORY_USER_BASE": "ou=agents,dc=mairie,dc=example",
    "DIRECTORY_GROUP_BASE": "ou=groupes,dc=mairie,dc=example",
    "DIRECTORY_ROLES": "Régie=cn=regie,ou=groupes,dc=mairie,dc=example",
}


@pytest.fixture
def environment(monkeypatch):
    for name in COMPLETE:
        monkeypatch.delenv(name, raising=False)

    def set_env(**values):
        for name, value in values.items():
            monkeypatch.setenv(name, value)

    return set_env


def test_without_a_uri_there_is_no_directory_and_no_ldap_setting(environment):
    assert directory_settings() == {"DIRECTORY_ENABLED": False, "DIRECTORY_ROLES": {}}


def test_roles_map_group_dns_without_case_to_role_names():
    assert roles_by_group(
        "Accueil=CN=GG-Accueil,OU=Groupes,DC=mairie,DC=example; Régie=cn=regie,dc=x ;"
    ) == {
        "cn=gg-accueil,ou=groupes,dc=mairie,dc=example": "Accueil",
        "cn=regie,dc=x": "Régie",
    }


@pytest.mark.parametrize("raw", ["cn=regie,dc=x", "Régie=", "=cn=regie,dc=x"])
def test_a_malformed_role_is_refused_in_french(raw):
    with pytest.raises(ImproperlyConfigured, match="n'a pas la forme Rôle=DN du groupe"):
        roles_by_group(raw)


@pytest.mark.parametrize(
    "missing", ["DIRECTORY_USER_BASE", "DIRECTORY_GROUP_BASE", "DIRECTORY_ROLES"]
)
def test_an_incomplete_directory_is_refused_in_french(environment, missing):
    pytest.importorskip("django_auth_ldap")
    environment(**{name: value for name, value in COMPLETE.items() if name != missing})
    with pytest.raises(ImproperlyConfigured, match="doivent l'être aussi"):
        directory_settings()


def test_every_directory_operation_is_bounded_by_the_timeout(environment):
    ldap = pytest.importorskip("ldap")
    environment(**COMPLETE, DIRECTORY_TIMEOUT="3")
    options = directory_settings()["AUTH_LDAP_CONNECTION_OPTIONS"]
    assert options[ldap.OPT_NETWORK_TIMEOUT] == 3
    assert options[ldap.OPT_TIMEOUT] == 3


def test_a_role_the_portal_does_not_have_stops_the_check(settings):
    settings.DIRECTORY_ROLES = {"cn=x,dc=mairie,dc=example": "Service des Pirates"}
    with pytest.raises(SystemCheckError, match="Service des Pirates"):
        call_command("check")
