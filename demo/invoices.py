"""Invoices of the demo household for `manage.py seed_demo`, after demo.families; safe to run
again (an invoice already there is updated while it is to pay, never once paid)."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import User
from households.models import Household
from households.services import household_get_or_create
from payments.calendar import months_before
from payments.models import Domain, Invoice, InvoiceState, RegieDomain
from payments.services.invoices import (
    InvoiceRefused,
    invoice_create,
    invoice_settle_at_counter,
    invoice_update,
)

MEAL = Decimal("3.85")
AFTER_SCHOOL_HOUR = Decimal("2.70")
ISSUE_DAY = 5
MONTH_NAMES = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
# Per issue, oldest first: school meals of the elder child, of the younger, after-school hours.
QUANTITIES = [(16, 15, 12), (14, 14, 10), (18, 17, 14)]
# The elder child's piano lessons at the conservatoire, each of the last two issues.
MUSIC_LESSONS = Decimal("85.00")


def issue_dates(today: date) -> list[date]:
    """The last three monthly issues (the 5th), oldest first: all within the last 3 months."""
    latest = today.replace(day=ISSUE_DAY)
    if today.day < ISSUE_DAY:
        latest = months_before(latest, 1)
    return [months_before(latest, months) for months in (2, 1, 0)]


def children_names(household: Household) -> tuple[str, str]:
    """The elder and the younger child's names; the holder's when there is no child."""
    names = [member.full_name for member in household.members.children().order_by("birth_date")]
    fallback = household.account.get_full_name()
    names = names or [fallback]
    return names[0], names[-1]


def demo_invoices(household: Household, today: date) -> list[dict]:
    elder, younger = children_names(household)
    members = {member.full_name: member for member in household.members.all()}
    rows = []
    for issue, (elder_meals, younger_meals, hours) in zip(
        issue_dates(today), QUANTITIES, strict=True
    ):
        period_start = months_before(issue, 1)
        period = f"{MONTH_NAMES[period_start.month - 1]} {period_start.year}"
        common = {"issue_date": issue, "due_date": issue + timedelta(days=25), "period": period}
        rows += [
            {
                "number": f"F{issue:%Y%m}-0101",
                "domain": Domain.SCHOOL,
                "label": f"Restauration scolaire ({elder_meals} repas)",
                "amount": MEAL * elder_meals,
                "member_name": elder,
                **common,
            },
            {
                "number": f"F{issue:%Y%m}-0102",
                "domain": Domain.SCHOOL,
                "label": f"Restauration scolaire ({younger_meals} repas)",
                "amount": MEAL * younger_meals,
                "member_name": younger,
                **common,
            },
            {
                "number": f"F{issue:%Y%m}-0103",
                "domain": Domain.AFTER_SCHOOL,
                "label": f"Accueil périscolaire du soir ({hours} h)",
                "amount": AFTER_SCHOOL_HOUR * hours,
                "member_name": younger,
                **common,
            },
        ]
    for issue in issue_dates(today)[1:]:
        period_start = months_before(issue, 1)
        rows.append(
            {
                "number": f"F{issue:%Y%m}-0104",
                "domain": Domain.MUSIC_SCHOOL,
                "label": "Conservatoire — cours de piano",
                "amount": MUSIC_LESSONS,
                "member_name": elder,
                "issue_date": issue,
                "due_date": issue + timedelta(days=25),
                "period": f"{MONTH_NAMES[period_start.month - 1]} {period_start.year}",
            }
        )
    for row in rows:
        row["member"] = members.get(row["member_name"])
    return rows


def seed_invoices(*, account: User, today: date | None = None) -> list[Invoice]:
    """Eleven invoices over three months: the oldest month paid at the Guichet Unique, the
    elder child's meals of the next one too, the rest to pay; each of its domain's régie
    when the town has régies (demo.regies)."""
    today = today or timezone.localdate()
    household = household_get_or_create(account=account)
    regie_of = dict(RegieDomain.objects.values_list("domain", "regie"))
    invoices = []
    for row in demo_invoices(household, today):
        number = row.pop("number")
        invoice = Invoice.objects.filter(number=number).first()
        if invoice is None:
            invoice = invoice_create(
                household=household,
                by=None,
                number=number,
                regie_id=regie_of.get(row["domain"]),
                **row,
            )
        elif invoice.state == InvoiceState.TO_PAY and invoice.household_id == household.pk:
            invoice_update(invoice=invoice, by=None, **row)
            # Seeded before the régies: given its domain's, unless a basket holds it.
            Invoice.objects.filter(
                pk=invoice.pk, regie__isnull=True, basket_line__isnull=True
            ).update(regie_id=regie_of.get(row["domain"]))
        invoices.append(invoice)
    agent = User.objects.filter(identifier="agent").first()
    for invoice in invoices[:4]:
        if invoice.state == InvoiceState.TO_PAY:
            try:
                invoice_settle_at_counter(invoice=invoice, by=agent)
            except InvoiceRefused:  # The demo citizen is paying it online right now.
                continue
            # Paid at the counter a week after it was issued, as a family would.
            paid_on = min(invoice.issue_date + timedelta(days=7), today)
            paid_at = timezone.make_aware(datetime.combine(paid_on, time(10, 30)))
            Invoice.objects.filter(pk=invoice.pk).update(paid_at=paid_at)
    return invoices


def seed() -> int:
    """The « demo » account's invoices; « Régie » sees and corrects them in the admin."""
    return len(seed_invoices(account=User.objects.get(identifier="demo")))
