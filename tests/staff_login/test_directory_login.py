"""Staff log in to /admin/ with the town's directory, a real slapd: the roles come from
its groups, leave with them, and a directory that refuses or hangs costs a French message
within its timeout while local superusers still log in."""

import html
import time

import pytest
from django.urls import reverse

from accounts.models import User
from staff_login.models import DirectoryLink
from staff_login.texts import DIRECTORY_UNAVAILABLE as UNAVAILABLE
from tests.factories import PASSWORD, UserFactory
from tests.staff_login.proconnect import come_back
from tests.staff_login.slapd import BILLING_GROUP, PEOPLE, SCHOOL_GROUP, password_of

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
INDEX = reverse("admin:index")


def log_in(client, name: str, password: str | None = None):
    return client.post(
        LOGIN, {"username": name, "password": password or password_of(name), "next": INDEX}
    )


def text(response) -> str:
    return html.unescape(response.content.decode())


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_the_login_page_tells_staff_how_to_log_in_with_the_directory(client, directory, settings):
    settings.STAFF_TWO_FACTOR = True
    page = text(client.get(LOGIN))
    assert "Comment me connecter ?" in page
    assert "l'annuaire de la mairie" in page
    assert "Le code de votre application d'authentification vous est ensuite demandé." in page


def test_a_member_of_a_mapped_group_logs_in_with_the_directory_s_password(client, directory):
    response = log_in(client, "cmartin")
    assert response.status_code == 302
    assert logged_in(client)
    account = DirectoryLink.objects.get(username="cmartin").account
    assert (account.first_name, account.last_name) == ("Claire", "MARTIN")
    assert account.email == "cmartin@mairie.example"
    assert account.is_staff and not account.is_superuser
    assert [group.name for group in account.groups.all()] == ["Service Scolaire et périscolaire"]
    assert client.get(INDEX).status_code == 200


def test_no_directory_password_is_kept(client, directory):
    log_in(client, "cmartin")
    account = DirectoryLink.objects.get(username="cmartin").account
    assert not account.has_usable_password()
    assert password_of("cmartin") not in str(User.objects.filter(pk=account.pk).values().get())
    # The portal's identifier of the account is its own, never the directory name.
    assert account.identifier.lower() != "cmartin"


def test_every_mapped_group_gives_its_role_and_the_next_login_finds_the_same_account(
    client, directory
):
    log_in(client, "pdurand")
    client.post(reverse("accounts:logout"))
    log_in(client, "PDurand")
    account = DirectoryLink.objects.get(username="pdurand").account
    assert sorted(group.name for group in account.groups.all()) == [
        "Régie",
        "Service Scolaire et périscolaire",
    ]
    assert User.objects.filter(directory_link__isnull=False).count() == 1


def test_a_wrong_password_is_refused_and_creates_nothing(client, directory):
    response = log_in(client, "cmartin", "pas-le-bon")
    assert response.status_code == 200
    assert not logged_in(client)
    assert UNAVAILABLE not in text(response)
    assert not DirectoryLink.objects.exists()


def test_a_member_of_no_mapped_group_is_refused_and_gets_no_account(client, directory):
    response = log_in(client, "tinformaticien")
    assert response.status_code == 200
    assert not logged_in(client)
    assert not User.objects.filter(last_name="LEGRAND").exists()


def test_a_member_removed_from_the_group_loses_the_role_at_the_next_login(client, directory):
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    directory.group_remove(SCHOOL_GROUP, "cmartin")
    response = log_in(client, "cmartin")
    assert response.status_code == 200
    assert not logged_in(client)
    account = DirectoryLink.objects.get(username="cmartin").account
    assert not account.is_staff
    assert not account.groups.exists()


def test_a_member_moved_to_another_group_changes_role(client, directory):
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    directory.group_remove(SCHOOL_GROUP, "cmartin")
    directory.group_add(BILLING_GROUP, "cmartin")
    log_in(client, "cmartin")
    account = DirectoryLink.objects.get(username="cmartin").account
    assert [group.name for group in account.groups.all()] == ["Régie"]


def test_a_member_removed_from_the_directory_loses_access_at_the_next_attempt(client, directory):
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    directory.group_remove(SCHOOL_GROUP, "cmartin")
    directory.delete(f"uid=cmartin,{PEOPLE}")
    response = log_in(client, "cmartin")
    assert response.status_code == 200
    assert not logged_in(client)
    account = DirectoryLink.objects.get(username="cmartin").account
    assert not account.is_staff and not account.groups.exists()


def test_a_wrong_password_alone_withdraws_nothing(client, directory):
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    log_in(client, "cmartin", "pas-le-bon")
    assert DirectoryLink.objects.get(username="cmartin").account.is_staff


def test_a_deactivated_account_stays_out_whatever_the_directory_says(client, directory):
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    User.objects.filter(directory_link__username="cmartin").update(is_active=False)
    log_in(client, "cmartin")
    assert not logged_in(client)


def test_a_citizen_whose_identifier_is_a_directory_name_stays_a_citizen(client, directory):
    citizen = UserFactory(identifier="cmartin")
    log_in(client, "cmartin")
    citizen.refresh_from_db()
    assert not citizen.is_staff and not citizen.groups.exists()
    assert DirectoryLink.objects.get(username="cmartin").account != citizen


def test_the_citizen_login_page_never_opens_a_directory_session(client, directory):
    response = client.post(
        reverse("accounts:login"), {"username": "cmartin", "password": password_of("cmartin")}
    )
    assert response.status_code == 200
    assert not logged_in(client)
    assert not DirectoryLink.objects.exists()


def test_the_portal_s_second_factor_is_still_asked_after_a_directory_login(
    client, directory, settings
):
    settings.STAFF_TWO_FACTOR = True
    log_in(client, "cmartin")
    response = client.get(INDEX)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))
    assert client.get(response["Location"])["Location"].startswith(reverse("admin:two_factor"))


def test_a_directory_that_demands_a_second_factor_itself_is_believed(client, directory, settings):
    settings.STAFF_TWO_FACTOR = True
    settings.DIRECTORY_ENFORCES_TWO_FACTOR = True
    log_in(client, "cmartin")
    assert client.get(INDEX).status_code == 200


def test_a_local_staff_member_is_still_asked_the_code_when_the_directory_demands_one(
    client, directory, settings, clerk
):
    settings.STAFF_TWO_FACTOR = True
    settings.DIRECTORY_ENFORCES_TWO_FACTOR = True
    response = client.post(LOGIN, {"username": clerk.identifier, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(INDEX).status_code == 302


def test_wrong_directory_passwords_are_throttled_like_any_other(client, directory, settings):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = log_in(client, "cmartin", "pas-le-bon")
    assert response.status_code == 429
    response = log_in(client, "cmartin")
    assert response.status_code == 429
    assert not logged_in(client)


# A directory away


def test_a_directory_that_refuses_gives_a_french_message(client, directory):
    directory.stop()
    started = time.monotonic()
    response = log_in(client, "cmartin")
    assert time.monotonic() - started < 3
    assert response.status_code == 200
    assert UNAVAILABLE in text(response)
    assert not logged_in(client)


def test_a_directory_that_hangs_gives_a_french_message_within_its_timeout(client, directory):
    directory.pause()
    started = time.monotonic()
    try:
        response = log_in(client, "cmartin")
    finally:
        directory.resume()
    elapsed = time.monotonic() - started
    assert UNAVAILABLE in text(response)
    # DIRECTORY_TIMEOUT is 2 s: the search as the portal's account times out, once.
    assert elapsed < 2 * 2 + 1
    assert not logged_in(client)


def test_a_local_superuser_logs_in_while_the_directory_hangs(client, directory):
    superuser = UserFactory(is_staff=True, is_superuser=True)
    directory.pause()
    started = time.monotonic()
    try:
        response = client.post(LOGIN, {"username": superuser.identifier, "password": PASSWORD})
    finally:
        directory.resume()
    assert response.status_code == 302
    assert logged_in(client)
    assert time.monotonic() - started < 1


# A directory member who logs in with ProConnect


@pytest.fixture
def member_with_proconnect(client, directory, proconnect):
    """cmartin logged in once with the directory; ProConnect gives her directory email."""
    log_in(client, "cmartin")
    client.post(reverse("accounts:logout"))
    proconnect.identity["email"] = "cmartin@mairie.example"
    return DirectoryLink.objects.get(username="cmartin").account


def test_a_directory_member_logs_in_with_proconnect_with_the_directory_s_roles(
    client, directory, proconnect, member_with_proconnect
):
    directory.group_add(BILLING_GROUP, "cmartin")
    response = come_back(client, proconnect)
    assert response.status_code == 302
    assert sorted(group.name for group in member_with_proconnect.groups.all()) == [
        "Régie",
        "Service Scolaire et périscolaire",
    ]


def test_a_member_removed_from_the_group_is_refused_by_proconnect_too(
    client, directory, proconnect, member_with_proconnect
):
    directory.group_remove(SCHOOL_GROUP, "cmartin")
    response = come_back(client, proconnect)
    assert response.status_code == 403
    assert not logged_in(client)
    member_with_proconnect.refresh_from_db()
    assert not member_with_proconnect.is_staff
    assert not member_with_proconnect.groups.exists()


def test_while_the_directory_hangs_proconnect_opens_with_the_last_roles(
    client, directory, proconnect, member_with_proconnect
):
    directory.pause()
    try:
        response = come_back(client, proconnect)
    finally:
        directory.resume()
    assert response.status_code == 302
    assert logged_in(client)
    assert member_with_proconnect.groups.filter(name="Service Scolaire et périscolaire").exists()
