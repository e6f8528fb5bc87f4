"""Escalation attempts, posted as forms by clerks: none gives a right, none changes a thing.

What is proven:

- « Accueil » (``clerk``) and a service clerk post ``is_superuser``, ``is_staff``,
  ``groups`` and ``user_permissions`` on their own account, on another staff account
  and on a citizen's: staff accounts answer 404 to the front desk and 403 to a service
  (no account permission at all); on a citizen's account the rights fields are ignored,
  while the contact data the front desk may correct is saved through the account
  services (history row, notice);
- the password page of a staff account or of a citizen, adding an account, changing a
  group's permissions: refused to both;
- « Administration fonctionnelle » cannot choose which groups handle a theme (that
  decides who reads which requests);
- after each refusal, nothing in the database moved: every account's staff and
  superuser flags, groups, permissions and password hash, every group's permissions,
  every theme's groups;
- the positive paths: a superuser's change of a staff account's groups leaves a
  « droits modifiés » history row with the difference; a password set by a superuser
  leaves its history row and tells the holder by email.

Personas: ``clerk`` (« Accueil », tests/conftest.py), ``service_clerk`` (« Service État
civil »), ``catalogue_admin`` (« Administration fonctionnelle »), ``colleague`` (another
staff account), ``superuser`` (the administrator), ``citizen``.
"""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from accounts.models import AccountEvent, User
from notifications.models import Message
from notifications.topics import account_topic
from procedures import services as procedures
from procedures.models import Theme
from tests.backoffice import personas
from tests.factories import PASSWORD, role_group
from tests.procedures.factories import ProcedureFactory, ThemeFactory, complete_answers

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Pris-en-otage-2026!"


@pytest.fixture
def civil_status(db):
    return ThemeFactory(title="État civil", slug="escalade-etat-civil")


@pytest.fixture
def service_clerk(civil_status):
    return personas.service_clerk(civil_status)


@pytest.fixture
def catalogue_admin(db):
    return personas.catalogue_admin()


@pytest.fixture
def colleague(db):
    return personas.colleague()


@pytest.fixture
def superuser(db):
    return personas.superuser()


@pytest.fixture
def attacker(request, clerk, service_clerk):
    """Each attempt is made by the front desk and by a service clerk."""
    return {"accueil": clerk, "service": service_clerk}[request.param]


# What an attacker wants, and how to see that nothing moved


def powerful_group() -> Group:
    """A group with every permission of the accounts app: the prize of an escalation."""
    group, _ = Group.objects.get_or_create(name="Tout-puissants")
    group.permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    return group


@pytest.fixture(autouse=True)
def _the_prize_exists_before_the_attempt(db):
    powerful_group()


def escalation_data(**extra) -> dict:
    return {
        "is_superuser": "on",
        "is_staff": "on",
        "is_active": "on",
        "groups": [str(powerful_group().pk), str(role_group("Régie").pk)],
        "user_permissions": [
            str(Permission.objects.get(codename="change_user").pk),
            str(Permission.objects.get(codename="change_group").pk),
        ],
        "events-TOTAL_FORMS": "0",
        "events-INITIAL_FORMS": "0",
        **extra,
    }


def rights_everywhere() -> dict:
    """Every account's rights and password hash, every group's permissions, every theme's
    groups, read again from the database."""
    return {
        "accounts": {
            user.identifier: (
                user.is_staff,
                user.is_superuser,
                user.is_active,
                sorted(user.groups.values_list("name", flat=True)),
                sorted(user.user_permissions.values_list("codename", flat=True)),
                user.password,
            )
            for user in User.objects.order_by("pk")
        },
        "groups": {
            group.name: sorted(group.permissions.values_list("codename", flat=True))
            for group in Group.objects.order_by("pk")
        },
        "themes": {
            theme.slug: sorted(theme.groups.values_list("name", flat=True))
            for theme in Theme.objects.order_by("pk")
        },
    }


def change_url(account) -> str:
    return reverse("admin:accounts_user_change", args=[account.pk])


def password_url(account) -> str:
    return reverse("admin:auth_user_password_change", args=[account.pk])


def form_values(client, url: str) -> dict:
    """The change form as the page fills it, as a browser would post it."""
    context = client.get(url).context
    form = context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if isinstance(value, bool):
            if value:
                data[name] = "on"
        elif isinstance(value, list | tuple):
            data[name] = [str(item) for item in value]
        else:
            data[name] = "" if value is None else str(value)
    for inline in context["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    return data


# Rights on accounts


def staff_account_refusal(attacker) -> int:
    """The front desk reads accounts, of citizens only: a staff account does not exist for
    it (404). A service has no permission on accounts at all (403)."""
    return 404 if attacker.groups.filter(name="Accueil").exists() else 403


@pytest.mark.parametrize("attacker", ["accueil", "service"], indirect=True)
def test_a_clerk_posting_rights_on_his_own_account_is_refused_and_nothing_moves(client, attacker):
    client.force_login(attacker)
    before = rights_everywhere()

    response = client.post(change_url(attacker), escalation_data(email=attacker.email))

    assert response.status_code == staff_account_refusal(attacker)
    assert rights_everywhere() == before


@pytest.mark.parametrize("attacker", ["accueil", "service"], indirect=True)
@pytest.mark.parametrize("target", ["colleague", "superuser"])
def test_a_clerk_posting_rights_on_another_staff_account_is_refused_and_nothing_moves(
    client, attacker, target, request
):
    account = request.getfixturevalue(target)
    client.force_login(attacker)
    before = rights_everywhere()

    response = client.post(change_url(account), escalation_data(email="pirate@example.org"))

    assert response.status_code == staff_account_refusal(attacker)
    assert rights_everywhere() == before
    account.refresh_from_db()
    assert account.email != "pirate@example.org"


def test_the_front_desk_posting_rights_on_a_citizen_saves_only_the_contact_data(
    client, clerk, citizen
):
    client.force_login(clerk)
    data = {**form_values(client, change_url(citizen)), **escalation_data()}
    data.update(phone="05 55 55 55 55", city="Autreville")
    before = rights_everywhere()

    response = client.post(change_url(citizen), data)

    assert response.status_code == 302
    assert rights_everywhere() == before
    citizen.refresh_from_db()
    assert (citizen.is_staff, citizen.is_superuser) == (False, False)
    assert not citizen.groups.exists() and not citizen.user_permissions.exists()
    assert (citizen.phone, citizen.city) == ("05 55 55 55 55", "Autreville")
    event = AccountEvent.objects.get(account=citizen, kind=AccountEvent.Kind.UPDATED)
    assert event.actor == clerk
    assert set(event.changes) == {"phone", "city"}
    notice = Message.objects.get(account=citizen, dedupe_key__endswith=f":updated:{event.pk}")
    assert notice.to_email == citizen.email
    assert "modification de votre compte" in notice.subject


def test_a_service_clerk_cannot_post_on_a_citizen_s_account_at_all(client, service_clerk, citizen):
    client.force_login(service_clerk)
    before = rights_everywhere()

    response = client.post(change_url(citizen), escalation_data(city="Autreville"))

    assert response.status_code == 403
    assert rights_everywhere() == before
    citizen.refresh_from_db()
    assert citizen.city != "Autreville"
    assert not AccountEvent.objects.filter(account=citizen, kind=AccountEvent.Kind.UPDATED)


# Passwords, new accounts, groups


@pytest.mark.parametrize("attacker", ["accueil", "service"], indirect=True)
@pytest.mark.parametrize("target", ["superuser", "citizen"])
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_clerk_cannot_open_nor_post_a_password_page(client, attacker, target, method, request):
    account = request.getfixturevalue(target)
    client.force_login(attacker)
    before = rights_everywhere()

    response = getattr(client, method)(
        password_url(account),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 403  # Superusers only, before looking at the account.
    assert rights_everywhere() == before
    account.refresh_from_db()
    assert account.check_password(PASSWORD) and not account.check_password(NEW_PASSWORD)
    assert not AccountEvent.objects.filter(kind=AccountEvent.Kind.PASSWORD_CHANGED).exists()


@pytest.mark.parametrize("attacker", ["accueil", "service"], indirect=True)
def test_a_clerk_cannot_add_an_account(client, attacker):
    client.force_login(attacker)
    before = rights_everywhere()

    response = client.post(
        reverse("admin:accounts_user_add"),
        {
            "identifier": "complice",
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
            "usable_password": "true",
            **escalation_data(),
        },
    )

    assert response.status_code == 403
    assert not User.objects.filter(identifier="complice").exists()
    assert rights_everywhere() == before


@pytest.mark.parametrize("attacker", ["accueil", "service"], indirect=True)
def test_a_clerk_cannot_give_his_group_more_permissions(client, attacker):
    group = attacker.groups.get()
    client.force_login(attacker)
    before = rights_everywhere()

    response = client.post(
        reverse("admin:auth_group_change", args=[group.pk]),
        {
            "name": group.name,
            "permissions": [str(pk) for pk in Permission.objects.values_list("pk", flat=True)],
        },
    )

    assert response.status_code == 403
    assert rights_everywhere() == before


def test_the_catalogue_admin_cannot_choose_which_groups_handle_a_theme(
    client, catalogue_admin, civil_status, service_clerk
):
    client.force_login(catalogue_admin)
    url = reverse("admin:procedures_theme_change", args=[civil_status.pk])
    data = {
        **form_values(client, url),
        "description": "Actes de naissance, mariage, décès.",
        "groups": [str(group.pk) for group in (role_group("Accueil"), powerful_group())],
    }
    before = rights_everywhere()

    response = client.post(url, data)

    assert response.status_code == 302
    civil_status.refresh_from_db()
    assert civil_status.description == "Actes de naissance, mariage, décès."
    assert rights_everywhere() == before
    assert list(civil_status.groups.values_list("name", flat=True)) == ["Service État civil"]


# What superusers do, with its history


def test_a_superuser_setting_a_staff_account_s_groups_leaves_the_difference_in_its_history(
    client, superuser, colleague
):
    client.force_login(superuser)
    url = change_url(colleague)
    data = {
        **form_values(client, url),
        "groups": [str(role_group("Accueil").pk), str(role_group("Régie").pk)],
    }

    response = client.post(url, data)

    assert response.status_code == 302
    assert sorted(colleague.groups.values_list("name", flat=True)) == ["Accueil", "Régie"]
    event = AccountEvent.objects.get(account=colleague, kind=AccountEvent.Kind.RIGHTS_CHANGED)
    assert event.actor == superuser
    assert event.changes == {"groups": {"old": "Accueil", "new": "Accueil, Régie"}}


def test_a_password_set_by_a_superuser_is_in_the_history_and_told_to_the_holder(
    client, superuser, citizen
):
    client.force_login(superuser)

    response = client.post(
        password_url(citizen),
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD, "usable_password": "true"},
    )

    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.check_password(NEW_PASSWORD)
    event = AccountEvent.objects.get(account=citizen, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == superuser
    notice = Message.objects.get(to_email=citizen.email, topic=account_topic(citizen.pk))
    assert "mot de passe" in notice.subject.lower()


def test_the_catalogue_admin_cannot_hand_a_procedure_s_requests_to_another_service(
    client, catalogue_admin, civil_status, service_clerk, citizen
):
    roads = ThemeFactory(title="Voirie", slug="escalade-voirie")
    roads.groups.add(role_group("Service Voirie"))
    procedure = ProcedureFactory(theme=civil_status, title="Acte de naissance")
    draft = procedures.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers=complete_answers(procedure, {})
    )
    sent = procedures.request_submit(citizen_request=draft, by=citizen)
    client.force_login(catalogue_admin)
    url = reverse("admin:procedures_procedure_change", args=[procedure.pk])

    client.post(url, {**form_values(client, url), "theme": str(roads.pk)})

    sent.refresh_from_db()
    assert sent.procedure.theme == civil_status


def test_staff_change_their_own_password_on_the_portal_s_page_with_its_history_and_notice(
    client, clerk
):
    client.force_login(clerk)
    response = client.get(reverse("admin:password_change"))
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:password_change")
    new = "Un-nouveau-mot-2026!"
    response = client.post(
        response["Location"],
        {"old_password": PASSWORD, "password1": new, "password2": new},
    )
    assert response.status_code == 302
    clerk.refresh_from_db()
    assert clerk.check_password(new)
    event = AccountEvent.objects.get(account=clerk, kind=AccountEvent.Kind.PASSWORD_CHANGED)
    assert event.actor == clerk
    assert Message.objects.filter(to_email=clerk.email, subject__icontains="mot de passe").exists()
