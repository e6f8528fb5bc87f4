import pytest
from django.urls import reverse
from django_fsm import TransitionNotAllowed

from accounts import services
from accounts.models import AccountEvent, AccountStatus, User


@pytest.mark.django_db
def test_validation_is_a_transition_that_records_who_and_when(pending_citizen, clerk):
    assert services.account_validate(account=pending_citizen, by=clerk) is True
    pending_citizen.refresh_from_db()
    assert pending_citizen.status == AccountStatus.VALIDATED
    assert pending_citizen.validated_by == clerk
    assert pending_citizen.validated_at is not None
    event = AccountEvent.objects.get(account=pending_citizen, kind=AccountEvent.Kind.VALIDATED)
    assert event.actor == clerk


@pytest.mark.django_db
def test_validating_twice_changes_nothing(pending_citizen, clerk):
    services.account_validate(account=pending_citizen, by=clerk)
    assert services.account_validate(account=pending_citizen, by=clerk) is False
    assert AccountEvent.objects.filter(kind=AccountEvent.Kind.VALIDATED).count() == 1


@pytest.mark.django_db
def test_the_state_is_never_assigned_by_hand(pending_citizen, citizen):
    with pytest.raises(AttributeError):
        pending_citizen.status = AccountStatus.VALIDATED
    with pytest.raises(TransitionNotAllowed):
        citizen.validate(by=citizen)


@pytest.mark.django_db
def test_clerks_filter_pending_accounts_and_search_them(client, clerk, pending_citizen, citizen):
    client.force_login(clerk)
    changelist = reverse("admin:accounts_user_changelist")
    page = client.get(changelist, {"status__exact": "pending"}).content.decode()
    assert pending_citizen.identifier in page
    assert citizen.identifier not in page
    for term in (pending_citizen.identifier, pending_citizen.last_name, pending_citizen.email):
        assert pending_citizen.identifier in client.get(changelist, {"q": term}).content.decode()


@pytest.mark.django_db
def test_clerks_validate_with_the_admin_action(client, clerk, pending_citizen):
    client.force_login(clerk)
    response = client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "validate_accounts", "_selected_action": [pending_citizen.pk]},
        follow=True,
    )
    assert "1 compte validé." in response.content.decode()
    pending_citizen.refresh_from_db()
    assert pending_citizen.is_validated and pending_citizen.validated_by == clerk


@pytest.mark.django_db
def test_clerks_validate_with_the_button_of_the_account_page(client, clerk, pending_citizen):
    client.force_login(clerk)
    change = reverse("admin:accounts_user_change", args=[pending_citizen.pk])
    assert "Valider ce compte" in client.get(change).content.decode()
    response = client.post(reverse("admin:accounts_user_validate", args=[pending_citizen.pk]))
    assert response["Location"] == change
    pending_citizen.refresh_from_db()
    assert pending_citizen.is_validated
    assert "Valider ce compte" not in client.get(change).content.decode()


@pytest.mark.django_db
def test_staff_without_the_permission_cannot_validate(client, pending_citizen):
    from tests.factories import ClerkFactory

    stranger = ClerkFactory()
    client.force_login(stranger)
    response = client.post(reverse("admin:accounts_user_validate", args=[pending_citizen.pk]))
    assert response.status_code == 403
    pending_citizen.refresh_from_db()
    assert pending_citizen.is_pending


@pytest.mark.django_db
def test_citizens_never_reach_the_admin(citizen_client, pending_citizen):
    response = citizen_client.post(
        reverse("admin:accounts_user_validate", args=[pending_citizen.pk])
    )
    assert response.status_code == 302
    assert User.objects.get(pk=pending_citizen.pk).is_pending


@pytest.mark.django_db
def test_the_admin_speaks_french(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("admin:index")).content.decode()
    assert "Déconnexion" in page or "Se déconnecter" in page
