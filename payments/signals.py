"""What payments tell the rest of the portal; nothing imports payments back.

``payment_confirmed`` is sent once per payment, inside the transaction that marks
it paid (so a receiver's outbox row commits, or rolls back, with the payment),
with:

- ``payment``: the ``Payment``, now paid, with ``household`` and ``paid_invoices``;
- ``receipt``: a callable without arguments returning ``(filename, content,
  mimetype)`` of the receipt PDF, to attach to the acknowledgement mail. It
  builds the PDF when called: call it from the delivery task, not in the
  transaction, if the receiver can.
"""

from django.dispatch import Signal

payment_confirmed = Signal()
