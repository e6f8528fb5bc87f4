"""Reads shared by the Paiements pages, each restricted to the household and with its joins."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import F, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from households.models import Household
from payments.calendar import months_before
from payments.models import (
    ACTIVE_BASKET_STATES,
    Basket,
    BasketLine,
    BasketState,
    Domain,
    Invoice,
    Payment,
    PaymentState,
    Regie,
)

MONTHS_SHOWN = 3


def shown_since(today: date | None = None) -> date:
    """The FAQ: the invoices issued during the last 3 months."""
    return months_before(today or timezone.localdate(), MONTHS_SHOWN)


def recent_invoices(*, account: User, today: date | None = None) -> QuerySet[Invoice]:
    """The household's invoices of the last 3 months, newest first."""
    return Invoice.objects.filter(
        household__account=account, issue_date__gte=shown_since(today)
    ).order_by("-issue_date", "-number")


def invoices_with_basket(*, account: User, today: date | None = None) -> tuple[list, int]:
    """(the invoices of the last 3 months, newest first, each with the state of the basket
    holding it in ``basket_state``; the number of invoices in the active basket), in one
    query. The active basket's invoices are read whatever their date, so that the count
    stays right for one left in the basket longer than 3 months."""
    since = shown_since(today)
    rows = list(
        Invoice.objects.filter(household__account=account)
        .filter(Q(issue_date__gte=since) | Q(basket_line__basket__state__in=ACTIVE_BASKET_STATES))
        .annotate(basket_state=F("basket_line__basket__state"))
        .order_by("-issue_date", "-number")
    )
    in_basket = sum(1 for row in rows if row.basket_state in ACTIVE_BASKET_STATES)
    return [row for row in rows if row.issue_date >= since], in_basket


def as_rows(invoices: list[Invoice]) -> list[Invoice]:
    """What a row of the invoice table shows beyond the invoice's columns, each part
    prepared once for the page: the basket state and the domain's label."""
    domains = {value: str(label) for value, label in Domain.choices}
    for invoice in invoices:
        row: Any = invoice  # an annotated row (basket_state) that the page reads more of
        row.in_basket = row.basket_state == BasketState.OPEN
        row.being_paid = row.basket_state == BasketState.CHECKOUT
        row.domain_label = domains.get(invoice.domain, invoice.domain)
    return invoices


def invoices_for_account(*, account: User) -> QuerySet[Invoice]:
    """The door to one invoice from a citizen view: another household's id is a 404."""
    return Invoice.objects.for_account(account).select_related("member", "payment")


@dataclass
class BasketGroup:
    """One régie's part of the basket, paid on its own: « Payer les 2 factures de … »."""

    basket: Basket
    lines: list[BasketLine]
    pending: Payment | None

    @property
    def regie(self) -> Regie | None:
        return self.basket.regie

    @property
    def total(self) -> Decimal:
        return lines_total(self.lines)


def basket_groups(*, household: Household) -> list[BasketGroup]:
    """The household's active baskets, one per régie, with their lines and pending
    payments: three queries whatever the number of régies."""
    baskets = list(
        Basket.objects.filter(household=household, state__in=ACTIVE_BASKET_STATES)
        .select_related("regie")
        .order_by("regie__name", "pk")
    )
    lines: dict[int, list[BasketLine]] = {basket.pk: [] for basket in baskets}
    for line in (
        BasketLine.objects.filter(basket__in=baskets)
        .select_related("invoice", "invoice__member")
        .order_by("invoice__issue_date", "invoice__number")
    ):
        lines[line.basket_id].append(line)
    pending = {
        payment.basket_id: payment
        for payment in Payment.objects.filter(
            basket__in=[basket for basket in baskets if basket.state == BasketState.CHECKOUT],
            state=PaymentState.PENDING,
        )
    }
    return [
        BasketGroup(basket=basket, lines=lines[basket.pk], pending=pending.get(basket.pk))
        for basket in baskets
        if lines[basket.pk] or basket.pk in pending
    ]


def active_basket(*, household: Household, regie: Regie | None = None) -> Basket | None:
    """The open (or frozen, being paid) basket of that régie, with its pending payment in
    ``pending``."""
    basket = (
        Basket.objects.filter(household=household, regie=regie, state__in=ACTIVE_BASKET_STATES)
        .order_by()
        .first()
    )
    if basket is not None:
        basket.pending = (  # type: ignore[attr-defined]  # the page's own attribute
            basket.payments.filter(state=PaymentState.PENDING).first()
            if basket.state == BasketState.CHECKOUT
            else None
        )
    return basket


def basket_item_count(*, account: User) -> int:
    """The number beside « Accéder à votre panier »."""
    return BasketLine.objects.filter(
        basket__household__account=account, basket__state__in=ACTIVE_BASKET_STATES
    ).count()


def basket_lines(*, basket: Basket) -> list[BasketLine]:
    return list(
        basket.lines.select_related("invoice", "invoice__member").order_by(
            "invoice__issue_date", "invoice__number"
        )
    )


def lines_total(lines: list[BasketLine]) -> Decimal:
    """Computed here from the invoices, never taken from the browser."""
    return sum((line.invoice.amount for line in lines), Decimal("0.00"))


def payments_for_account(*, account: User) -> QuerySet[Payment]:
    """The door to one payment from a citizen view: another household's id is a 404."""
    return Payment.objects.for_account(account)


def payment_with_invoices(payment: Payment) -> list:
    """The lines of a payment with their invoices and members: one query."""
    return list(payment.lines.select_related("invoice", "invoice__member").order_by("pk"))


def payments_for_export(*, regie: Regie, start: date, end: date) -> QuerySet[Payment]:
    """The régie's payments for the treasurer, from ``start`` to ``end`` included (Paris
    days): those paid then, and those flagged « à rembourser » that were opened then."""
    zone = timezone.get_current_timezone()
    since = datetime.combine(start, time.min, tzinfo=zone)
    until = datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone)
    paid = Q(state=PaymentState.PAID, paid_at__gte=since, paid_at__lt=until)
    refund = Q(refund_due__gt=0, created_at__gte=since, created_at__lt=until)
    return (
        Payment.objects.filter(paid | refund, regie=regie)
        .select_related("household__account", "regie")
        .prefetch_related("lines__invoice")
        .order_by("paid_at", "created_at", "pk")
    )
