"""Accounts through FranceConnect: a first visit creates a validated account whose identity
is FranceConnect's; an existing citizen links once after the password login; both ways in
work afterwards; the identity stays read-only while linked; logout leaves both; closure
and the archive know the link."""

import pytest
from django.contrib.auth.hashers import is_password_usable
from django.core import mail
from django.core.cache import caches
from django.urls import reverse

from accounts.models import AccountEvent, AccountStatus, Civility
from accounts.services import IdentityCertified, account_correct, account_update
from franceconnect.models import FranceConnectLink
from households.models import Relationship
from households.services import household_get_or_create
from privacy.archive import account_data
from privacy.closure import account_close
from tests.factories import PASSWORD, PendingUserFactory, UserFactory
from tests.franceconnect.conftest import COMPLETE, CONTACT, come_back, password_login, text
from tests.franceconnect.provider import ANGELA, CLIENT_ID

pytestmark = pytest.mark.django_db


def first_visit(client, provider, **data):
    come_back(client, provider)
    return client.post(COMPLETE, {**CONTACT, **data})


def test_the_first_visit_shows_the_certified_identity_read_only_and_asks_only_the_rest(
    client, provider
):
    come_back(client, provider)
    page = text(client.get(COMPLETE))
    for shown in ("Angela Claire Louise", "DUBOIS", "24 août 1962", "angela.dubois@example.org"):
        assert shown in page
    form = page.split('<form method="post" novalidate>')[1]
    for asked in ('name="phone"', 'name="address"', 'name="postal_code"', 'name="city"'):
        assert asked in form
    for not_asked in ('name="last_name"', 'name="first_name"', 'name="birth_date"', "captcha"):
        assert not_asked not in form


def test_the_first_visit_creates_a_validated_account_linked_and_logged_in(
    client, provider, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = first_visit(client, provider)
    assert response.status_code == 302 and response["Location"] == reverse("home")
    link = FranceConnectLink.objects.select_related("account").get()
    account = link.account
    assert (link.client_id, link.sub) == (CLIENT_ID, ANGELA["sub"])
    assert link.identity["birthplace"] == "75107"
    assert account.status == AccountStatus.VALIDATED and account.validated_at
    assert (account.civility, account.last_name, account.first_name) == (
        Civility.MADAME,
        "DUBOIS",
        "Angela Claire Louise",
    )
    assert str(account.birth_date) == "1962-08-24"
    assert account.email == "angela.dubois@example.org" and account.phone == "06 11 22 33 44"
    assert not is_password_usable(account.password)
    assert client.session["_auth_user_id"] == str(account.pk)
    kinds = set(account.events.values_list("kind", flat=True))
    assert kinds == {AccountEvent.Kind.REGISTERED, AccountEvent.Kind.VALIDATED}
    (created,) = [m for m in mail.outbox if account.identifier in m.body]
    assert "validé" in created.body and "en attente" not in created.body


def test_the_household_s_holder_takes_the_certified_identity(client, provider):
    first_visit(client, provider)
    account = FranceConnectLink.objects.get().account
    holder = household_get_or_create(account=account).members.get(relationship=Relationship.HOLDER)
    assert (holder.last_name, holder.first_names, str(holder.birth_date), holder.sex) == (
        "DUBOIS",
        "Angela Claire Louise",
        "1962-08-24",
        "F",
    )


def test_a_portal_password_is_set_only_when_wanted_and_then_follows_the_policy(client, provider):
    come_back(client, provider)
    weak = client.post(COMPLETE, {**CONTACT, "wants_password": "on", "password1": "court"})
    page = text(weak)
    assert weak.status_code == 200
    assert "Choisissez une question de sécurité." in page
    assert "Confirmez le mot de passe." in page
    strong = {
        "wants_password": "on",
        "security_question": "first_pet",
        "security_answer": "Médor",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    assert client.post(COMPLETE, {**CONTACT, **strong}).status_code == 302
    account = FranceConnectLink.objects.get().account
    assert account.check_password(PASSWORD) and account.check_security_answer("medor")
    client.logout()
    password_login(client, account)
    assert client.session["_auth_user_id"] == str(account.pk)


def test_bad_contact_data_is_told_beside_its_field(client, provider):
    come_back(client, provider)
    page = text(client.post(COMPLETE, {**CONTACT, "postal_code": "123", "phone": "abc"}))
    assert "Le code postal comporte 5 chiffres." in page
    assert "Saisissez un numéro de téléphone valide" in page
    assert not FranceConnectLink.objects.exists()


def test_the_next_visit_logs_straight_in_and_refreshes_the_identity(client, provider):
    first_visit(client, provider)
    client.logout()
    provider.identity = {**provider.identity, "family_name": "DUBOIS-MARTIN"}
    response = come_back(client, provider)
    assert response["Location"] == reverse("home")
    account = FranceConnectLink.objects.get().account
    assert client.session["_auth_user_id"] == str(account.pk)
    account.refresh_from_db()
    assert account.last_name == "DUBOIS-MARTIN"
    assert FranceConnectLink.objects.get().last_login_at is not None


def test_the_completion_page_without_a_franceconnect_answer_goes_home(client, provider):
    response = client.get(COMPLETE)
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_a_minor_cannot_open_an_account(client, provider):
    provider.identity = {**provider.identity, "birthdate": "2015-01-01"}
    come_back(client, provider)
    assert client.get(COMPLETE).status_code == 403


# Linking an existing account


def test_a_citizen_links_once_after_the_password_login_and_both_ways_work(client, provider):
    citizen = PendingUserFactory(last_name="DUBOYS", first_name="Angéla")
    password_login(client, citizen)
    response = come_back(client, provider, follow=True)
    assert "Votre compte est lié à FranceConnect" in text(response)
    link = FranceConnectLink.objects.get(account=citizen)
    assert link.sub == ANGELA["sub"]
    citizen.refresh_from_db()
    # The certified identity replaces what was typed; the account is validated by it.
    assert (citizen.last_name, citizen.first_name) == ("DUBOIS", "Angela Claire Louise")
    assert citizen.is_validated
    updated = citizen.events.get(kind=AccountEvent.Kind.UPDATED)
    assert updated.changes["last_name"] == {"old": "DUBOYS", "new": "DUBOIS"}
    holder = household_get_or_create(account=citizen).members.get(relationship=Relationship.HOLDER)
    assert holder.last_name == "DUBOIS"
    client.logout()
    password_login(client, citizen)
    assert client.session["_auth_user_id"] == str(citizen.pk)
    client.logout()
    come_back(client, provider)
    assert client.session["_auth_user_id"] == str(citizen.pk)


def test_from_the_first_visit_page_a_citizen_logs_in_and_links(client, provider):
    citizen = UserFactory()
    come_back(client, provider)
    assert reverse("franceconnect:link_pending") in text(client.get(COMPLETE))
    password_login(client, citizen)
    page = text(client.get(reverse("franceconnect:link_pending")))
    assert "Lier mon compte" in page
    assert "S’identifier avec" in page  # FranceConnect once more, now the account is known
    response = come_back(client, provider)
    assert response["Location"] == reverse("households:account")
    assert FranceConnectLink.objects.get().account == citizen


def test_the_identity_seen_before_a_password_login_is_never_linked(client, provider):
    """A shared computer: the previous visitor's first FranceConnect visit still waits in
    the session when someone else logs in with a password and opens the linking page."""
    come_back(client, provider)
    someone_else = UserFactory()
    password_login(client, someone_else)
    client.get(reverse("franceconnect:link_pending"))
    assert client.post(reverse("franceconnect:link_pending")).status_code == 405
    assert not FranceConnectLink.objects.exists()
    someone_else.refresh_from_db()
    assert not someone_else.identity_certified


def test_an_identity_linked_to_another_account_is_refused(client, provider):
    first_visit(client, provider)
    client.logout()
    other = UserFactory()
    password_login(client, other)
    response = come_back(client, provider, follow=True)
    assert "déjà liée à un autre compte" in text(response)
    assert not FranceConnectLink.objects.filter(account=other).exists()


# The identity is read-only while linked


@pytest.fixture
def linked(client, provider):
    citizen = UserFactory()
    password_login(client, citizen)
    come_back(client, provider)
    citizen.refresh_from_db()
    return citizen


def test_the_citizen_s_form_shows_the_identity_disabled_and_ignores_a_forged_change(client, linked):
    edit = reverse("households:account_edit")
    page = text(client.get(edit))
    assert page.count("Certifié par FranceConnect : non modifiable.") == 4
    forged = {
        "civility": "m",
        "last_name": "AUTRE",
        "first_name": "Quelqu'un",
        "birth_date": "1990-01-01",
        "email": linked.email,
        **CONTACT,
        "step": "confirm",
    }
    client.post(edit, forged)
    linked.refresh_from_db()
    assert linked.last_name == "DUBOIS" and linked.phone == CONTACT["phone"]


def test_the_services_refuse_an_identity_change_while_linked(linked, clerk):
    with pytest.raises(IdentityCertified):
        account_update(account=linked, by=linked, last_name="AUTRE")
    with pytest.raises(IdentityCertified):
        account_correct(account=linked, by=clerk, first_name="Autre")
    assert account_correct(account=linked, by=clerk, city="Ailleurs") == {
        "city": {"old": "Villeneuve-sur-Example", "new": "Ailleurs"}
    }


def test_the_admin_shows_a_linked_identity_read_only_even_to_a_superuser(
    client, linked, django_user_model
):
    superuser = django_user_model.objects.create_superuser("chef01", PASSWORD)
    client.force_login(superuser)
    page = text(client.get(reverse("admin:accounts_user_change", args=[linked.pk])))
    assert 'name="last_name"' not in page and 'name="city"' in page


# Logout leaves both


def test_logout_goes_through_franceconnect_s_end_session_and_comes_back(client, linked):
    response = client.post(reverse("accounts:logout"))
    assert "_auth_user_id" not in client.session
    location = response["Location"]
    assert location.startswith("https://fc.test/api/v2/session/end?")
    from urllib.parse import parse_qs, urlsplit

    params = {k: v[0] for k, v in parse_qs(urlsplit(location).query).items()}
    assert params["id_token_hint"].count(".") == 2
    assert params["post_logout_redirect_uri"] == "http://testserver" + reverse(
        "franceconnect:logged_out"
    )
    back = client.get(reverse("franceconnect:logged_out"), {"state": params["state"]}, follow=True)
    assert "déconnecté de votre espace citoyen et de FranceConnect" in text(back)


def test_logout_never_waits_on_franceconnect(client, linked, provider):
    """The end-session URL was built at login: logging out asks the provider nothing, so a
    provider that hangs now costs the citizen nothing and the portal's session ends."""
    caches["default"].clear()  # were the discovery document read again, it would hang
    provider.timeout_on = "discovery"
    response = client.post(reverse("accounts:logout"))
    assert response["Location"].startswith("https://fc.test/api/v2/session/end?")
    assert "_auth_user_id" not in client.session


def test_a_password_login_logs_out_as_before(client, citizen):
    password_login(client, citizen)
    response = client.post(reverse("accounts:logout"))
    assert response["Location"] == reverse("home")


def test_a_foreign_state_on_the_way_back_says_nothing(client, linked):
    client.post(reverse("accounts:logout"))
    back = client.get(reverse("franceconnect:logged_out"), {"state": "x"}, follow=True)
    assert "de FranceConnect" not in text(back)


# Privacy


def test_closing_the_account_deletes_the_link(linked):
    account_close(account=linked, by=linked, cancel_open_requests=True)
    assert not FranceConnectLink.objects.exists()


def test_the_archive_holds_the_link_and_the_identity_received(linked):
    data = account_data(linked)["franceconnect"]
    assert data["identifiant_pivot"] == ANGELA["sub"]
    assert data["identite_recue"]["birthplace"] == "75107"
    assert account_data(UserFactory())["franceconnect"] is None


def test_the_account_tab_offers_the_link_then_says_the_identity_is_certified(client, provider):
    citizen = UserFactory()
    password_login(client, citizen)
    tab = text(client.get(reverse("households:account")))
    assert "fr-connect" in tab and "Changer mon mot de passe" in tab
    come_back(client, provider)
    tab = text(client.get(reverse("households:account")))
    assert "Votre identité est certifiée par FranceConnect" in tab and "fr-connect" not in tab


def test_an_account_without_a_portal_password_is_not_offered_to_change_it(client, provider):
    first_visit(client, provider)
    tab = text(client.get(reverse("households:account")))
    assert "Changer mon mot de passe" not in tab


def test_the_help_page_explains_franceconnect_where_it_is_offered(client, provider):
    page = text(client.get(reverse("help")))
    assert 'href="#franceconnect"' in page
    assert "liez-le à FranceConnect" in page


def test_the_help_page_says_nothing_of_franceconnect_where_it_is_off(client, settings):
    settings.FRANCECONNECT_CLIENT_ID = ""
    settings.FRANCECONNECT_SIMULATED = False
    assert "FranceConnect" not in text(client.get(reverse("help")))
