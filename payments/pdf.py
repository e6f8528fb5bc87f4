"""An invoice and a payment receipt as tagged PDFs (PDF/UA-1), rendered and cached by
``common.pdf``: a file per version, named from the object's pk and ``updated_at``, so a
cached PDF is never stale. They live in their own private folder, under payments/.
"""

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from common.pdf import PDF_MIMETYPE, render_pdf, version_cached, version_stamp
from payments import selectors
from payments.models import Invoice, Payment

# Bump when a template or its style changes: PDFs of the old layout are rebuilt.
LAYOUT_VERSION = 1


def storage() -> FileSystemStorage:
    """Private (no URL), under MEDIA_ROOT read at each call so that tests can move it."""
    return FileSystemStorage(
        location=Path(settings.MEDIA_ROOT) / "private" / "payments", base_url=None
    )


def render_town_pdf(template: str, context: dict) -> bytes:
    """Every invoice and receipt names the town and says when it was printed."""
    return render_pdf(template, {"town": settings.TOWN, "printed_at": timezone.now(), **context})


def invoice_pdf_content(invoice: Invoice) -> bytes:
    def build() -> bytes:
        fresh = Invoice.objects.select_related("household__account", "member", "payment").get(
            pk=invoice.pk
        )
        return render_town_pdf("payments/pdf/invoice.html", {"invoice": fresh})

    name = f"{version_stamp(invoice.updated_at)}-v{LAYOUT_VERSION}.pdf"
    return version_cached(storage(), f"invoices/{invoice.pk}", name, build)


def receipt_pdf_content(payment: Payment) -> bytes:
    """The receipt of a paid payment."""

    def build() -> bytes:
        fresh = Payment.objects.select_related("household__account").get(pk=payment.pk)
        lines = selectors.payment_with_invoices(fresh)
        return render_town_pdf("payments/pdf/receipt.html", {"payment": fresh, "lines": lines})

    name = f"{version_stamp(payment.updated_at)}-v{LAYOUT_VERSION}.pdf"
    return version_cached(storage(), f"receipts/{payment.pk}", name, build)


def invoice_filename(invoice: Invoice) -> str:
    return f"facture-{invoice.number}.pdf"


def receipt_filename(payment: Payment) -> str:
    return f"recu-paiement-{payment.receipt_number}.pdf"


def receipt_attachment(payment_pk: int) -> tuple[str, bytes, str]:
    """(filename, content, mimetype) of a payment's receipt, for the acknowledgement mail."""
    payment = Payment.objects.get(pk=payment_pk)
    return receipt_filename(payment), receipt_pdf_content(payment), PDF_MIMETYPE
