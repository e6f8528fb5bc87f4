"""A payment from « Payer » to the invoices paid, through each régie's simulated backend,
costs a pinned number of SQL queries: the figure the bench reports (bench/features.py,
which this test drives, counts them the same way). It grows by one query per invoice:
each invoice is marked paid by its own UPDATE (``invoices_pay``, django-fsm's transition
then ``save``), found by this test and left to the payments' owners.

Transactional: the simulated PayFiP's notification leaves after commit, as in production,
and its queries are the journey's too."""

import pytest

from bench import features
from tests.payments.factories import InvoiceFactory
from tests.payments.payfip_fake import card_regie, payfip_regie

# Every request of the journey, both sides: the portal's « Payer », the backend's page
# and its answer, the notification and the SOAP calls (PayFiP), the outcome page.
PINNED = {"payfip": 72, "carte": 64}
PER_MORE_INVOICE = 1
REGIES = {"payfip": (payfip_regie, "scolaire"), "carte": (card_regie, "conservatoire")}


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("backend", ["payfip", "carte"])
def test_a_payment_costs_its_pinned_queries_and_one_more_per_invoice(
    backend, payer, household, other_household, settings
):
    settings.PAYFIP_SIMULATOR_ENABLED = True
    make_regie, domain = REGIES[backend]
    regie = make_regie()
    one = [InvoiceFactory(household=household, regie=regie, domain=domain)]
    three = InvoiceFactory.create_batch(3, household=other_household, regie=regie, domain=domain)
    counts = [
        features.journey_queries(payer.pk, [invoice.pk for invoice in one], regie.pk),
        features.journey_queries(
            other_household.account_id, [invoice.pk for invoice in three], regie.pk
        ),
    ]
    assert counts == [PINNED[backend], PINNED[backend] + 2 * PER_MORE_INVOICE]
