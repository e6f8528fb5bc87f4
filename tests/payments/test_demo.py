"""The demo household's invoices: three months of school meals and after-school care and
two of piano lessons, some paid, named after the children of the family, each of its
régie (two régies, two groups in the basket); seeding again changes nothing."""

import pytest
from django.utils import timezone

from demo import families as households_demo
from demo import invoices as demo_invoices
from demo import people as accounts_demo
from demo import regies as regies_demo
from payments.models import Domain, Invoice, InvoiceState
from payments.selectors import recent_invoices

pytestmark = pytest.mark.django_db


@pytest.fixture
def seeded():
    accounts_demo.seed()
    households_demo.seed()
    regies_demo.seed()
    return demo_invoices.seed()


def test_the_demo_citizen_has_eleven_invoices_of_the_last_three_months(seeded):
    assert seeded == 11
    household = Invoice.objects.first().household
    assert household.account.identifier == "demo"
    assert recent_invoices(account=household.account).count() == 11
    assert set(Invoice.objects.values_list("domain", flat=True)) == {
        Domain.SCHOOL,
        Domain.AFTER_SCHOOL,
        Domain.MUSIC_SCHOOL,
    }
    names = set(Invoice.objects.values_list("member_name", flat=True))
    assert names == {"Léa Juliette MARTIN", "Hugo MARTIN"}
    assert Invoice.objects.filter(member__isnull=True).count() == 0
    assert Invoice.objects.filter(issue_date__gt=timezone.localdate()).count() == 0


def test_some_are_paid_and_some_are_to_pay(seeded):
    states = list(Invoice.objects.values_list("state", flat=True))
    assert states.count(InvoiceState.PAID) == 4
    assert states.count(InvoiceState.TO_PAY) == 7


def test_the_invoices_to_pay_belong_to_the_two_demo_regies(seeded):
    regies = dict(
        Invoice.objects.filter(state=InvoiceState.TO_PAY)
        .values_list("number", "regie__name")
        .order_by("number")
    )
    assert set(regies.values()) == {"Régie scolaire et périscolaire", "Régie du conservatoire"}
    assert sum(name == "Régie du conservatoire" for name in regies.values()) == 2
    assert regies_demo.seed()[0].backend == "payfip_simule"


def test_seeding_again_changes_nothing(seeded):
    before = list(Invoice.objects.order_by("pk").values_list("number", "state", "amount"))
    demo_invoices.seed()
    after = list(Invoice.objects.order_by("pk").values_list("number", "state", "amount"))
    assert after == before
