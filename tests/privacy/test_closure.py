"""« Fermer mon compte »: the citizen with an open request and a paid invoice; the front desk
for a citizen at the counter, through the same service."""

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent, User
from households.models import Household, HouseholdEvent, Member
from notifications.models import Message
from notifications.topics import ACCOUNT_CLOSED
from payments.models import Invoice, InvoiceState, Payment
from privacy import closure
from procedures.models import Request, RequestDocument, RequestState
from tests.factories import PASSWORD, ClerkFactory, role_group
from tests.privacy.conftest import files_on_disk

pytestmark = pytest.mark.django_db

CLOSE = reverse("privacy:close")


def test_the_account_tab_offers_the_archive_and_the_closure(citizen_client):
    page = citizen_client.get(reverse("households:account")).content.decode()
    assert "Télécharger mes données" in page
    assert "Fermer mon compte" in page
    assert reverse("privacy:close") in page and reverse("privacy:data") in page


def test_the_page_lists_the_open_requests_and_asks_for_the_password_and_consent(client, full):
    client.force_login(full.citizen)
    page = client.get(CLOSE).content.decode()
    assert full.sent.number in page
    assert 'autocomplete="current-password"' in page
    assert "J&#x27;accepte l&#x27;annulation de mes demandes en cours" in page
    assert "10 ans" in page  # What the law keeps: the invoices.


def test_a_wrong_password_and_no_consent_say_so_next_to_each_field_and_change_nothing(client, full):
    client.force_login(full.citizen)
    response = client.post(CLOSE, {"password": "pas le bon"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Le formulaire contient 2 erreurs" in page
    assert 'id="id_password_error"' in page and "Le mot de passe est incorrect." in page
    assert "Cochez cette case : vos demandes en cours doivent être annulées." in page
    assert User.objects.filter(pk=full.citizen.pk).exists()
    assert Request.objects.get(pk=full.sent.pk).state == RequestState.SUBMITTED


def test_closing_with_an_open_request_and_a_paid_invoice(
    client, full, django_capture_on_commit_callbacks
):
    client.force_login(full.citizen)
    identifier, email = full.citizen.identifier, full.citizen.email
    documents_before = files_on_disk()
    assert len([f for f in documents_before if f.startswith("documents/")]) == 2
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(CLOSE, {"password": PASSWORD, "cancel_requests": "on"})

    assert response.status_code == 302 and response["Location"] == reverse("privacy:closed")
    # Logged out.
    assert client.get(reverse("households:account")).status_code == 302
    # Gone: the account, its household and members, its requests, documents and files,
    # its messages and histories.
    assert not User.objects.filter(identifier=identifier).exists()
    assert not Household.objects.exists() and not Member.objects.exists()
    assert not HouseholdEvent.objects.exists() and not AccountEvent.objects.exists()
    assert set(Request.objects.values_list("pk", flat=True)) == {full.civil_status.pk}
    assert not RequestDocument.objects.exists()
    assert [f for f in files_on_disk() if f.startswith("documents/")] == []
    assert not Message.objects.filter(to_email=email).exclude(topic=ACCOUNT_CLOSED).exists()
    # Kept, detached: the civil-status request without contact details...
    kept = Request.objects.get()
    assert kept.account is None and kept.member is None
    assert kept.contact_email == "" and kept.address == ""
    assert kept.subject_name and kept.number == full.civil_status.number
    # ...the invoices and the payment, with the debtor's name only.
    paid = Invoice.objects.get(pk=full.paid_invoice.pk)
    assert paid.state == InvoiceState.PAID and paid.household is None
    assert paid.debtor_name == "Camille MARTIN"
    assert Invoice.objects.get(pk=full.unpaid_invoice.pk).household is None
    payment = Payment.objects.get(pk=full.payment.pk)
    assert payment.household is None and payment.basket is None
    # A mail confirms, to the address the account had, with what was cancelled and kept.
    confirmation = mail.outbox[-1]
    assert confirmation.to == [email]
    assert confirmation.subject == "Votre compte est fermé"
    assert full.sent.number in confirmation.body
    assert "10 ans" in confirmation.body
    # The page after closure says what stays.
    page = client.get(reverse("privacy:closed")).content.decode()
    assert "Votre compte est fermé" in page


def test_the_open_request_is_cancelled_in_its_history_before_it_goes(full):
    request = Request.objects.get(pk=full.civil_status.pk)
    assert request.state == RequestState.ACCEPTED
    closure.account_close(account=full.citizen, by=full.citizen, cancel_open_requests=True)
    kept = Request.objects.get(pk=full.civil_status.pk)
    assert kept.state == RequestState.CANCELLED
    assert kept.events.last().transition == "withdraw"


def test_without_consent_the_service_refuses_and_keeps_everything(full):
    with pytest.raises(closure.ClosureRefused):
        closure.account_close(account=full.citizen, by=full.citizen, cancel_open_requests=False)
    assert User.objects.filter(pk=full.citizen.pk).exists()


def test_a_citizen_without_requests_closes_with_the_password_alone(
    citizen_client, citizen, django_capture_on_commit_callbacks
):
    page = citizen_client.get(CLOSE).content.decode()
    assert "cancel_requests" not in page
    with django_capture_on_commit_callbacks(execute=True):
        response = citizen_client.post(CLOSE, {"password": PASSWORD})
    assert response.status_code == 302
    assert not User.objects.filter(pk=citizen.pk).exists()
    assert mail.outbox[-1].subject == "Votre compte est fermé"


def test_a_pending_payment_waits_for_its_outcome(client, full):
    from payments.services import basket_add_invoice, payment_start

    basket_add_invoice(invoice=full.unpaid_invoice, by=full.citizen)
    payment_start(household=full.citizen.household, by=full.citizen)
    client.force_login(full.citizen)
    response = client.post(CLOSE, {"password": PASSWORD, "cancel_requests": "on"})
    assert response.status_code == 409
    assert "Un paiement par carte est en cours" in response.content.decode()
    assert User.objects.filter(pk=full.citizen.pk).exists()


# The front desk


def admin_close_url(account) -> str:
    return reverse("admin:accounts_user_close", args=[account.pk])


def test_the_front_desk_role_holds_the_closing_permission(clerk):
    assert clerk.has_perm("privacy.close_account")
    assert role_group("Accueil").permissions.filter(codename="close_account").exists()


def test_a_clerk_closes_the_account_of_a_citizen_at_the_counter(
    client, clerk, full, django_capture_on_commit_callbacks
):
    client.force_login(clerk)
    change = client.get(reverse("admin:accounts_user_change", args=[full.citizen.pk]))
    assert admin_close_url(full.citizen) in change.content.decode()
    page = client.get(admin_close_url(full.citizen))
    assert page.status_code == 200 and full.sent.number in page.content.decode()

    refused = client.post(admin_close_url(full.citizen), {"identity_checked": "on"})
    assert refused.status_code == 200
    assert "Sans cet accord" in refused.content.decode()
    assert User.objects.filter(pk=full.citizen.pk).exists()

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            admin_close_url(full.citizen), {"identity_checked": "on", "cancel_requests": "on"}
        )
    assert response.status_code == 302
    assert not User.objects.filter(pk=full.citizen.pk).exists()
    assert "Guichet Unique" in mail.outbox[-1].body
    kept = Request.objects.get()
    assert kept.events.get(transition="withdraw").actor == clerk


def test_only_the_front_desk_and_superusers_close_and_never_a_staff_account(
    client, citizen, other_service_clerk
):
    client.force_login(other_service_clerk)
    assert client.get(admin_close_url(citizen)).status_code == 403
    assert client.post(admin_close_url(citizen), {"identity_checked": "on"}).status_code == 403

    front_desk = ClerkFactory()
    front_desk.groups.add(Group.objects.get(name="Accueil"))
    client.force_login(front_desk)
    other_staff = ClerkFactory()
    assert client.get(admin_close_url(other_staff)).status_code == 404
    assert client.get(reverse("admin:accounts_user_close", args=[999999])).status_code == 404
    assert User.objects.filter(pk=citizen.pk).exists()


def test_anonymous_visitors_and_citizens_never_reach_the_admin_page(client, citizen):
    response = client.get(admin_close_url(citizen))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]
    client.force_login(citizen)
    response = client.get(admin_close_url(citizen))
    assert response.status_code == 302 and reverse("admin:login") in response["Location"]


def test_the_billing_office_still_reads_a_detached_invoice_and_its_payment(
    client, full, django_capture_on_commit_callbacks
):
    closure.account_close(account=full.citizen, by=full.citizen, cancel_open_requests=True)
    billing = ClerkFactory()
    billing.groups.add(role_group("Régie"))
    client.force_login(billing)
    for url in (
        reverse("admin:payments_invoice_changelist"),
        reverse("admin:payments_invoice_change", args=[full.paid_invoice.pk]),
        reverse("admin:payments_payment_changelist"),
        reverse("admin:payments_payment_change", args=[full.payment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 200, url
    page = client.get(reverse("admin:payments_invoice_change", args=[full.paid_invoice.pk]))
    assert "Camille MARTIN" in page.content.decode()
