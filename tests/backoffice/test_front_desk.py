"""« Accueil » corrects a citizen's contact data in the admin through the account services:
the same history row, the same acknowledgement, the old address told, the household in step;
and nothing else of the account moves."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from households.models import HouseholdEvent, Member, Relationship
from households.services import household_get_or_create
from notifications.models import Message
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def change_url(account) -> str:
    return reverse("admin:accounts_user_change", args=[account.pk])


def form_values(client, account) -> dict:
    """The change form as the page fills it, as a browser would post it."""
    page = client.get(change_url(account)).context
    form = page["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    for inline in page["inline_admin_formsets"]:
        management = inline.formset.management_form
        data.update({management.add_prefix(n): management[n].value() for n in management.fields})
    return data


@pytest.fixture
def clerk_client(client, clerk):
    client.force_login(clerk)
    return client


def test_the_front_desk_form_offers_contact_data_only(clerk_client, citizen):
    form = clerk_client.get(change_url(citizen)).context["adminform"].form
    assert set(form.fields) == {"email", "phone", "address", "postal_code", "city"}


def test_a_corrected_email_goes_through_the_service_and_tells_both_addresses(
    clerk_client, clerk, citizen
):
    household_get_or_create(account=citizen)
    old = citizen.email
    data = {**form_values(clerk_client, citizen), "email": "camille.martin@exemple.fr"}
    response = clerk_client.post(change_url(citizen), data)
    assert response.status_code == 302

    citizen.refresh_from_db()
    assert citizen.email == "camille.martin@exemple.fr"
    event = AccountEvent.objects.get(account=citizen, kind=AccountEvent.Kind.UPDATED)
    assert event.actor == clerk
    assert event.changes == {"email": {"old": old, "new": "camille.martin@exemple.fr"}}
    acknowledgement = Message.objects.get(to_email="camille.martin@exemple.fr")
    assert acknowledgement.account == citizen
    notice = Message.objects.get(to_email=old)
    assert notice.account is None  # Never in « Mes messages » of whoever holds the account now.
    assert "c•••" in notice.body_text and "exemple.fr" in notice.body_text
    assert "Guichet Unique à votre demande" in notice.body_text
    holder = Member.objects.get(household__account=citizen, relationship=Relationship.HOLDER)
    assert holder.email == "camille.martin@exemple.fr"
    assert HouseholdEvent.objects.filter(action=HouseholdEvent.Action.HOLDER_SYNCED).exists()


def test_a_pending_account_can_be_corrected_before_its_validation(clerk_client, pending_citizen):
    data = {**form_values(clerk_client, pending_citizen), "phone": "07 11 22 33 44"}
    assert clerk_client.post(change_url(pending_citizen), data).status_code == 302
    pending_citizen.refresh_from_db()
    assert pending_citizen.phone == "07 11 22 33 44"
    assert pending_citizen.is_pending


def test_identity_and_rights_posted_anyway_change_nothing(clerk_client, citizen):
    data = {
        **form_values(clerk_client, citizen),
        "last_name": "AUTRE",
        "birth_date": "2000-01-01",
        "is_staff": "on",
        "is_superuser": "on",
        "status": "pending",
    }
    assert clerk_client.post(change_url(citizen), data).status_code == 302
    citizen.refresh_from_db()
    assert citizen.last_name != "AUTRE" and str(citizen.birth_date) != "2000-01-01"
    assert not citizen.is_staff and not citizen.is_superuser and citizen.is_validated
    assert not AccountEvent.objects.filter(account=citizen, kind=AccountEvent.Kind.UPDATED)


def test_a_bad_email_gets_the_error_next_to_the_field_and_saves_nothing(clerk_client, citizen):
    data = {**form_values(clerk_client, citizen), "email": "pas-une-adresse", "phone": "0"}
    response = clerk_client.post(change_url(citizen), data)
    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    citizen.refresh_from_db()
    assert citizen.phone == UserFactory.phone


def test_the_front_desk_validates_an_account_with_its_own_permission(
    clerk_client, clerk, pending_citizen
):
    assert not clerk.has_perm("auth.change_group")
    url = reverse("admin:accounts_user_validate", args=[pending_citizen.pk])
    assert clerk_client.post(url).status_code == 302
    pending_citizen.refresh_from_db()
    assert pending_citizen.is_validated and pending_citizen.validated_by == clerk
