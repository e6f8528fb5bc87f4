"""Invoices made straight in the database, for tests that need many or need them fast."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from payments.models import Domain, Invoice


class InvoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Invoice

    number = factory.Sequence(lambda n: f"F2026-{n:05d}")
    domain = Domain.SCHOOL
    label = "Restauration scolaire"
    period = "octobre 2026"
    member_name = "Léa MARTIN"
    amount = Decimal("42.35")
    issue_date = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=10))
    due_date = factory.LazyAttribute(lambda invoice: invoice.issue_date + timedelta(days=25))


def page_queries(client, url: str) -> list[str]:
    """The SQL of a GET of ``url`` opened a second time (the header's unread count is
    cached by then), which must answer 200."""
    client.get(url)
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return [query["sql"] for query in context.captured_queries]


def own(queries: list[str]) -> list[str]:
    """The queries of the payments pages themselves, not the site-wide ones (session, user,
    unread messages of base.html): those are pinned by the tests of their apps."""
    return [sql for sql in queries if "payments_" in sql or "households_" in sql]
