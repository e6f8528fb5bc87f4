"""What the accounts make the town keep, and for how long (« Données personnelles »).

Invoices and payments are accounting pieces: kept INVOICE_RETENTION_YEARS (ten years)
even when the account is closed, but then detached from the household, with only the
debtor's name as invoiced. Called by ``privacy`` (closure, inactivity, purge).
"""

from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from payments.models import (
    BasketState,
    Invoice,
    Payment,
    PaymentLine,
    ProviderEvent,
    SimulatedPayfipOperation,
)

# The simulated PayFiP's operations (demo only) hold the citizen's email: a day is enough
# for their notification, their return and the reconciliation.
SIMULATED_OPERATION_LIFETIME = timedelta(days=1)


def household_has_payment_running(*, household) -> bool:
    """A card payment not yet settled: its outcome would find no household."""
    return Payment.objects.pending().filter(household=household).exists() or (
        household.baskets.filter(state=BasketState.CHECKOUT).exists()
    )


@transaction.atomic
def invoices_detach(*, household, debtor_name: str) -> int:
    """Keep the household's invoices and payments without the household; returns invoices."""
    invoices = Invoice.objects.filter(household=household)
    count = invoices.update(household=None, member=None, debtor_name=debtor_name[:310])
    Payment.objects.filter(household=household).update(household=None, basket=None)
    return count


def invoices_limit(now=None) -> date:
    today = timezone.localdate(now or timezone.now())
    years = settings.INVOICE_RETENTION_YEARS
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def stale_invoices(*, now=None):
    """Invoices issued more than INVOICE_RETENTION_YEARS ago, whatever their state."""
    return Invoice.objects.filter(issue_date__lt=invoices_limit(now))


def stale_payments(*, now=None):
    """Payments of that age that no kept invoice needs."""
    limit = timezone.make_aware(datetime.combine(invoices_limit(now), time.min))
    kept = stale_invoices(now=now).values("pk")
    return Payment.objects.filter(created_at__lt=limit).exclude(
        lines__invoice__in=Invoice.objects.exclude(pk__in=kept)
    )


@transaction.atomic
def invoices_purge(*, now=None) -> int:
    """Delete invoices past their period, then the payments no kept invoice refers to."""
    invoices = stale_invoices(now=now)
    payments = list(stale_payments(now=now).values_list("pk", flat=True))
    # Invoice.payment and PaymentLine.invoice protect each other: untie them first.
    PaymentLine.objects.filter(invoice__in=invoices).delete()
    invoices.update(payment=None)
    count = invoices.delete()[1].get("payments.Invoice", 0)
    ProviderEvent.objects.filter(payment__in=payments).delete()
    Payment.objects.filter(pk__in=payments, paid_invoices__isnull=True).delete()
    SimulatedPayfipOperation.objects.filter(
        created_at__lt=(now or timezone.now()) - SIMULATED_OPERATION_LIFETIME
    ).delete()
    return count
