"""A clerk's correction of an account in the admin reaches the holder member."""

import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from households.models import HouseholdEvent
from tests.factories import UserFactory


@pytest.fixture
def admin_client(client, db):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    return client


def post_change(client, account, **values):
    """The admin's change form as the page fills it, with ``values`` typed over it."""
    url = reverse("admin:accounts_user_change", args=[account.pk])
    page = client.get(url).context
    data = {}
    forms = [page["adminform"].form]
    for inline in page["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    for form in forms:
        for name, field in form.fields.items():
            if not field.disabled:
                data.update(as_posted(form.add_prefix(name), form[name].value()))
    data.update(values)
    return client.post(url, data)


def as_posted(name, value) -> dict:
    if isinstance(value, list | tuple):
        return {name: [str(v) for v in value]}
    if value is None or value is False:
        return {}
    return {name: "on" if value is True else str(value)}


@pytest.mark.django_db
def test_a_corrected_name_and_email_reach_the_holder(admin_client, citizen, holder):
    response = post_change(
        admin_client, citizen, last_name="MARTIN-DUPONT", email="camille@exemple.fr"
    )
    assert response.status_code == 302, response.context["adminform"].form.errors
    holder.refresh_from_db()
    assert holder.last_name == "MARTIN-DUPONT"
    assert holder.email == "camille@exemple.fr"
    event = AccountEvent.objects.get(account=citizen, kind=AccountEvent.Kind.UPDATED)
    assert event.changes["last_name"] == {"old": "MARTIN", "new": "MARTIN-DUPONT"}
    assert event.actor.is_superuser
    assert HouseholdEvent.objects.filter(
        member=holder, action=HouseholdEvent.Action.HOLDER_SYNCED
    ).exists()


@pytest.mark.django_db
def test_rights_posted_on_a_citizen_change_nothing_and_leave_the_history_alone(
    admin_client, citizen, holder
):
    """A citizen's form has no rights fields, even for a superuser: they are ignored."""
    response = post_change(admin_client, citizen, is_active="", is_staff="on")
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert citizen.is_active and not citizen.is_staff
    assert not AccountEvent.objects.filter(account=citizen, kind=AccountEvent.Kind.UPDATED)
    assert not HouseholdEvent.objects.filter(action=HouseholdEvent.Action.HOLDER_SYNCED)
