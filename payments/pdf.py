"""An invoice and a payment receipt as tagged PDFs (PDF/UA-1), as procedures/pdf.py does it.

Built with WeasyPrint from a template whose style is inline, fonts from fontconfig
only, every URL refused. A PDF is stored in the private storage under a name made
of the object's pk and ``updated_at``: a change gives a new name (the older file
of the same object is deleted), so a cached PDF is never stale.
"""

from collections.abc import Callable
from datetime import UTC
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from payments import selectors
from payments.models import Invoice, Payment

# Bump when a template or its style changes: PDFs of the old layout are rebuilt.
LAYOUT_VERSION = 1
PDF_MIMETYPE = "application/pdf"


def storage() -> FileSystemStorage:
    """Private (no URL), under MEDIA_ROOT read at each call so that tests can move it."""
    return FileSystemStorage(
        location=Path(settings.MEDIA_ROOT) / "private" / "payments", base_url=None
    )


def stamp(moment) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")


def render_pdf(template: str, context: dict) -> bytes:
    with translation.override("fr"):
        html = render_to_string(
            template, {"town": settings.TOWN, "printed_at": timezone.now(), **context}
        )
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(pdf_variant="pdf/ua-1")


def cached(folder: str, name: str, build: Callable[[], bytes]) -> bytes:
    """The stored ``folder/name``, else built, stored, and the older versions deleted."""
    store = storage()
    path = f"{folder}/{name}"
    if store.exists(path):
        try:
            with store.open(path, "rb") as stored:
                return stored.read()
        except FileNotFoundError:  # Deleted by a newer version in between.
            pass
    data = build()
    written = store.save(path, ContentFile(data))
    if written != path:  # Another process built the same version meanwhile: keep one.
        store.delete(written)
    _folders, files = store.listdir(folder)
    for other in files:
        if other != name:
            store.delete(f"{folder}/{other}")
    return data


def invoice_pdf_content(invoice: Invoice) -> bytes:
    def build() -> bytes:
        fresh = Invoice.objects.select_related("household__account", "member", "payment").get(
            pk=invoice.pk
        )
        return render_pdf("payments/pdf/invoice.html", {"invoice": fresh})

    name = f"{stamp(invoice.updated_at)}-v{LAYOUT_VERSION}.pdf"
    return cached(f"invoices/{invoice.pk}", name, build)


def receipt_pdf_content(payment: Payment) -> bytes:
    """The receipt of a paid payment."""

    def build() -> bytes:
        fresh = Payment.objects.select_related("household__account").get(pk=payment.pk)
        lines = selectors.payment_with_invoices(fresh)
        return render_pdf("payments/pdf/receipt.html", {"payment": fresh, "lines": lines})

    name = f"{stamp(payment.updated_at)}-v{LAYOUT_VERSION}.pdf"
    return cached(f"receipts/{payment.pk}", name, build)


def invoice_filename(invoice: Invoice) -> str:
    return f"facture-{invoice.number}.pdf"


def receipt_filename(payment: Payment) -> str:
    return f"recu-paiement-{payment.receipt_number}.pdf"


def receipt_attachment(payment_pk: int) -> tuple[str, bytes, str]:
    """(filename, content, mimetype) of a payment's receipt, for the acknowledgement mail."""
    payment = Payment.objects.get(pk=payment_pk)
    return receipt_filename(payment), receipt_pdf_content(payment), PDF_MIMETYPE
