"""Every write of the payments app: one atomic, keyword-only function per action.

- ``basket``: what a citizen puts in the basket or takes out, and the rules that refuse;
- ``payment``: starting, settling, confirming and closing a card payment; reconciliation;
- ``webhooks``: a provider's notification, once its signature is checked;
- ``invoices``: a clerk's changes, cancellation, payment at the Guichet Unique;
- ``invoice_import``: the billing software's CSV file, in batches (its lines are read by
  ``payments.invoice_file``).
"""

from payments.services.basket import (
    EMPTY,
    BasketRefused,
    basket_add_invoice,
    basket_remove_invoice,
)
from payments.services.invoices import (
    InvoiceRefused,
    invoice_cancel,
    invoice_settle_at_counter,
    invoice_update,
)
from payments.services.payment import (
    PaymentRefused,
    payment_abandon,
    payment_checkout,
    payment_confirm,
    payment_settle,
    payment_start,
    payments_reconcile,
)
from payments.services.webhooks import (
    IGNORED,
    eopayment_notice_handle,
    provider_notice_handle,
)

__all__ = [
    "EMPTY",
    "BasketRefused",
    "InvoiceRefused",
    "PaymentRefused",
    "basket_add_invoice",
    "basket_remove_invoice",
    "invoice_cancel",
    "invoice_settle_at_counter",
    "invoice_update",
    "payment_abandon",
    "payment_checkout",
    "payment_confirm",
    "payment_settle",
    "payment_start",
    "payments_reconcile",
    "provider_notice_handle",
    "eopayment_notice_handle",
    "IGNORED",
]
