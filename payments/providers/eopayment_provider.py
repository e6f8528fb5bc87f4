"""PayFiP and the French banks' systems through eopayment, with one régie's contract.

``request()`` opens the payment (PayFiP: an operation id, ``idop``, valid 15 minutes);
the citizen's return (``response()``) and the backend's server notification
(``guess()``, then ``payment_status()``) only say which payment to look at: for
PayFiP the outcome is asked again of its web service, as the Stripe webhook asks
Stripe. Amounts cross eopayment as ``Decimal`` euros; PayFiP answers in cents.
"""

import contextlib
import logging
from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from urllib.parse import parse_qs

import eopayment
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from common.validators import small_number
from payments.models import Payment, Provider, Regie
from payments.providers import eopayment_api
from payments.providers.base import (
    Checkout,
    CheckoutState,
    CheckoutStatus,
    PaymentProvider,
    ProviderError,
    ProviderRefusal,
)
from payments.regie_settings import options_of, secrets_of

logger = logging.getLogger(__name__)

PAYFIP_KINDS = (Provider.PAYFIP, Provider.PAYFIP_SIMULATED)
# PayFiP: an idop can be paid for 15 minutes; eopayment waits 20 (its
# min_time_between_transactions) before a reference may be paid again.
IDOP_LIFETIME = timedelta(minutes=15)
# A bank system's payment page: closed well before this (Systempay: 10 minutes by default).
BANK_PAGE_LIFETIME = timedelta(hours=1)
STATES = {
    eopayment.PAID: CheckoutState.PAID,
    eopayment.ACCEPTED: CheckoutState.PAID,
    eopayment.DENIED: CheckoutState.DECLINED,
    eopayment.CANCELLED: CheckoutState.EXPIRED,
    eopayment.EXPIRED: CheckoutState.EXPIRED,
    eopayment.WAITING: CheckoutState.OPEN,
    eopayment.RECEIVED: CheckoutState.OPEN,
}


def refdet_of(payment: Payment) -> str:
    """PayFiP's ``refdet`` ([A-Za-z0-9]{1,30}) from our payment id: one per payment."""
    return f"{payment.created_at:%Y}{payment.pk:010d}"


def whole_euros(amount: Decimal) -> str:
    return f"{amount:,.0f}".replace(",", "\u202f")


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def notification_url(regie: Regie) -> str:
    """The URL to give the DGFiP or the bank: its server tells us about payments there."""
    return absolute(reverse("payments:eopayment_notification", args=[regie.code]))


@contextlib.contextmanager
def provider_errors() -> Iterator[None]:
    """eopayment's and PayFiP's errors as ours: a timeout, a refused connection, a SOAP
    fault all leave the payment as it was, to be asked again."""
    try:
        yield
    except eopayment.PaymentException as error:
        logger.warning("eopayment backend failing: %s", error)
        raise ProviderError(str(error), retryable=True) from error
    except (ValueError, TypeError) as error:
        logger.error("eopayment refused a request: %s", error)
        raise ProviderError(str(error), retryable=False) from error


class EopaymentProvider(PaymentProvider):
    def __init__(self, kind: str, regie: Regie):
        self.name = kind
        self.regie = regie

    @property
    def is_payfip(self) -> bool:
        return self.name in PAYFIP_KINDS

    def backend(self, *, return_url: str = ""):
        options = options_of(self.regie) | {
            "normal_return_url": return_url or absolute(reverse("payments:basket")),
            "automatic_return_url": notification_url(self.regie),
        }
        kind = "payfip_ws" if self.is_payfip else self.name
        return eopayment_api.backend(
            kind,
            options,
            secrets=list(secrets_of(self.regie).values()),
            simulated=self.name == Provider.PAYFIP_SIMULATED,
        )

    def payment_refusal(self, *, amount: Decimal, email: str) -> str | None:
        if self.name == Provider.PAYFIP_SIMULATED and not settings.PAYFIP_SIMULATOR_ENABLED:
            logger.error("Régie %s is on the simulated PayFiP, which is off.", self.regie.code)
            return _(
                "Le paiement en ligne de cette régie n'est pas disponible : réglez ces "
                "factures au Guichet Unique."
            )
        backend = self.backend().backend
        low = getattr(backend, "minimal_amount", None)
        high = getattr(backend, "maximal_amount", None)
        if (low is not None and amount < low) or (high is not None and amount > high):
            return _(
                "Le paiement en ligne de cette régie accepte de %(low)s € à %(high)s € : "
                "retirez ou ajoutez des factures, ou réglez-les au Guichet Unique."
            ) % {"low": whole_euros(low or Decimal(0)), "high": whole_euros(high or amount)}
        if getattr(backend, "email_is_required", False) and "@" not in email:
            return _(
                "Le paiement de cette régie demande une adresse électronique : "
                "ajoutez-la dans « Mon compte », puis payez de nouveau."
            )
        return None

    def checkout_create(self, payment: Payment, *, return_path: str, cancel_path: str) -> Checkout:
        backend = self.backend(return_url=absolute(return_path))
        with provider_errors():
            transaction_id, kind, data = backend.request(
                payment.amount, **self.request_arguments(payment)
            )
        if kind == eopayment.FORM:
            # Systempay, Paybox…: the citizen posts the bank's signed form from our page.
            form = {
                "url": data.url,
                "method": data.method.lower(),
                "fields": [[field["name"], str(field["value"])] for field in data.fields],
            }
            url = reverse("payments:bank_form", args=[payment.pk])
            return Checkout(reference=str(transaction_id), url=url, form=form)
        if kind != eopayment.URL:
            raise ProviderError(f"eopayment answered a {kind} checkout", retryable=False)
        if self.name == Provider.PAYFIP_SIMULATED:
            data = data.replace(eopayment_api.PAYFIP_PAGE, eopayment_api.simulator_page_url())
        return Checkout(reference=str(transaction_id), url=data)

    def request_arguments(self, payment: Payment) -> dict:
        """What ``request()`` is told besides the amount, all derived from the payment so
        that a retry asks the very same thing; PayFiP's own fields for PayFiP only."""
        household = payment.household
        assert household is not None  # a payment being opened belongs to its household
        arguments: dict[str, object] = {
            "email": household.account.email,
            "orderid": refdet_of(payment),
            "transaction_id": refdet_of(payment),
        }
        if self.is_payfip:
            arguments |= {
                "refdet": refdet_of(payment),
                "exer": f"{payment.created_at:%Y}",
                "subject": _("Paiement n° %(number)s") % {"number": payment.receipt_number},
                "timeout": eopayment_api.timeout(),
            }
        return arguments

    def checkout_resume(self, payment: Payment) -> None:
        if self.is_payfip and timezone.now() - payment.created_at >= IDOP_LIFETIME:
            raise ProviderRefusal(self.wait_message(payment))

    def wait_message(self, payment: Payment) -> str:
        if not self.is_payfip:
            free_at = timezone.localtime(payment.created_at + BANK_PAGE_LIFETIME)
            return _(
                "Ce paiement peut encore aboutir sur la page de la banque : terminez-le, ou "
                "abandonnez-le à partir de %(hour)s."
            ) % {"hour": date_format(free_at, "H:i")}
        free_at = timezone.localtime(payment.created_at + self.delay())
        if free_at <= timezone.now():
            return _(
                "Le délai de paiement de cette opération PayFiP est passé : abandonnez ce "
                "paiement, puis payez de nouveau."
            )
        return _(
            "Le délai de paiement de cette opération PayFiP est passé. Le Trésor public "
            "n'accepte pas un second paiement des mêmes factures avant %(hour)s : vous "
            "pourrez alors abandonner ce paiement et en commencer un autre."
        ) % {"hour": date_format(free_at, "H:i")}

    def delay(self) -> timedelta:
        return timedelta(seconds=self.backend().get_min_time_between_transactions())

    def checkout_status(self, payment: Payment) -> CheckoutStatus:
        if not payment.provider_reference:
            return CheckoutStatus(CheckoutState.EXPIRED)
        backend = self.backend()
        if not self.is_payfip and not backend.has_payment_status:
            # The bank's signed notification is the only word: open until it comes, or
            # until the bank's page is surely closed (a late payment is then refunded).
            if timezone.now() - payment.created_at >= BANK_PAGE_LIFETIME:
                return CheckoutStatus(CheckoutState.EXPIRED)
            return CheckoutStatus(CheckoutState.OPEN)
        with provider_errors():
            response = backend.payment_status(
                payment.provider_reference,
                transaction_date=payment.created_at,
                timeout=eopayment_api.timeout(),
            )
        return self.status_of(payment, response)

    def return_status(self, payment: Payment, *, query_string: str) -> CheckoutStatus:
        """PayFiP comes back with ``?idop=…``: read through ``response()`` when it is this
        payment's; anything else is asked again as usual."""
        idop = (parse_qs(query_string).get("idop") or [""])[0]
        if not self.is_payfip or not idop or idop != payment.provider_reference:
            return self.checkout_status(payment)
        with provider_errors():
            response = self.backend().response(query_string)
        return self.status_of(payment, response)

    def status_of(self, payment: Payment, response) -> CheckoutStatus:
        data = response.bank_data or {}
        if self.is_payfip and data.get("refdet") and data["refdet"] != refdet_of(payment):
            raise ProviderError(f"PayFiP answered for refdet {data['refdet']}", retryable=False)
        state = STATES.get(response.result)
        if state is None:
            raise ProviderError(f"eopayment result {response.result}", retryable=True)
        expired = timezone.now() - payment.created_at >= self.delay()
        if state == CheckoutState.OPEN and self.is_payfip and expired:
            # PayFiP says « P5 » for an idop never paid: past the delay it never will be.
            state = CheckoutState.EXPIRED
        amount = data.get("montant")
        cents = small_number(str(amount)) if amount is not None else None
        return CheckoutStatus(state, cents, payment.currency if cents is not None else "")

    def checkout_close(self, payment: Payment) -> CheckoutStatus:
        """PayFiP has no way to close an operation: it is over once PayFiP says so, or once
        the delay has passed."""
        status = self.checkout_status(payment)
        if status.state == CheckoutState.OPEN:
            raise ProviderRefusal(self.wait_message(payment))
        return status
