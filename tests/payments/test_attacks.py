"""Attacks on the basket's posted régie: a value ``str.isdigit()`` accepts and ``int()``
refuses (« ² », thousands of digits) pays nothing and is no 500."""

import pytest
from django.urls import reverse

from payments.models import Payment
from tests.payments.test_regies import regies, two_groups  # noqa: F401 (fixtures)

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("posted", ["²", "①", "9" * 5000])
@pytest.mark.parametrize("name", ["payments:pay", "payments:abandon"])
def test_a_regie_int_refuses_is_no_500(payer_client, two_groups, posted, name):  # noqa: F811
    response = payer_client.post(reverse(name), {"regie": posted})
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:basket")
    assert not Payment.objects.exists()
