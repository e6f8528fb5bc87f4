"""A household with every kind of data, and how to count the files on disk.

- ``citizen`` (tests/conftest.py) owns ``full``: a child, a draft and a sent request
  with their documents, a decided civil-status request, messages, a card payment of
  one invoice, an invoice still to pay, histories of the account and the household.
"""

from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone

from accounts.models import User
from accounts.services import account_update
from households.models import Member
from households.services import household_get_or_create, member_add
from payments.models import Invoice, Payment
from payments.services import basket_add_invoice, payment_confirm, payment_start
from procedures import services as procedures
from procedures.models import Procedure, Request
from tests.households.factories import born_years_ago
from tests.payments.factories import InvoiceFactory
from tests.procedures.conftest import upload
from tests.procedures.factories import ProcedureFactory, bulky_waste, complete_answers


def files_on_disk() -> list[str]:
    """Every file under the private storage (documents, PDFs, archives)."""
    root = Path(settings.MEDIA_ROOT) / "private"
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file())


@dataclass
class Full:
    citizen: User
    child: Member
    draft: Request
    sent: Request
    civil_status: Request
    paid_invoice: Invoice
    unpaid_invoice: Invoice
    payment: Payment


def sent_request(citizen, procedure, *, member=None, document="justificatif.pdf"):
    uploads = [(procedure.documents.first(), "", upload(document))] if document else []
    draft = procedures.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=member,
        answers=complete_answers(procedure, {"objets": "Canapé"}),
        uploads=uploads,
    )
    return procedures.request_submit(citizen_request=draft, by=citizen)


def make_full(citizen: User, clerk: User) -> Full:
    User.objects.filter(pk=citizen.pk).update(date_joined=timezone.now() - timedelta(days=40))
    citizen.refresh_from_db()
    household = household_get_or_create(account=citizen)
    child = member_add(
        household=household,
        by=citizen,
        category="enfant",
        relationship="enfant",
        sex="F",
        last_name="MARTIN",
        first_names="Léa",
        birth_date=born_years_ago(9),
    )
    account_update(account=citizen, by=citizen, phone="07 00 00 00 00")
    procedure = bulky_waste()
    draft = procedures.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=None,
        answers=complete_answers(procedure, {"objets": "Armoire"}),
        uploads=[(procedure.documents.first(), "", upload("photo.png"))],
    )
    sent = sent_request(citizen, procedure)
    civil = ProcedureFactory(
        title="Acte de naissance", kind=Procedure.Kind.CIVIL_STATUS, concerns="household"
    )
    civil_status = sent_request(citizen, civil, document=None)
    procedures.request_transition(citizen_request=civil_status, name="start", by=clerk)
    procedures.request_transition(citizen_request=civil_status, name="accept", by=clerk)
    paid_invoice = InvoiceFactory(household=household, amount=Decimal("12.50"))
    unpaid_invoice = InvoiceFactory(household=household, amount=Decimal("30.10"))
    basket_add_invoice(invoice=paid_invoice, by=citizen)
    payment = payment_start(household=household, by=citizen)
    payment_confirm(payment=payment, source="return")
    return Full(citizen, child, draft, sent, civil_status, paid_invoice, unpaid_invoice, payment)


@pytest.fixture(autouse=True)
def _simulated_provider(settings):
    settings.PAYMENT_PROVIDER = "simulated"


@pytest.fixture
def full(citizen, clerk, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return make_full(citizen, clerk)
