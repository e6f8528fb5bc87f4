"""A decision document as a tagged PDF (PDF/UA-1) with a QR code of its verification page.

The text was fixed when the document was issued, so its PDF never changes: built once
(by the mail's attachment, or the citizen's first click) and kept in the private storage
beside the request's own PDFs, deleted with them (services.delete_with_files).
"""

import qrcode
import qrcode.image.svg
from django.conf import settings
from django.utils.safestring import mark_safe
from django.utils.text import slugify

from common.pdf import PDF_MIMETYPE, folder_delete, render_pdf, version_cached
from common.private_storage import private_storage
from procedures import selectors
from procedures.models import DecisionDocument

# The name the notifications' attachment registry knows the builder by (apps.ready).
DECISION_ATTACHMENT = "decision-document"
TEMPLATE = "procedures/decisions/decision.html"
FOLDER = "decisions"
# Bump when the template or its style changes: stored PDFs of the old layout are rebuilt.
LAYOUT_VERSION = 1


def decision_file_name(document: DecisionDocument) -> str:
    return f"{slugify(document.title)[:60] or 'decision'}-{document.request.number or ''}.pdf"


def qr_svg(url: str) -> str:
    """The URL as an SVG QR code (medium error correction), drawn inline: nothing fetched."""
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, box_size=10, border=4)
    code.add_data(url)
    code.make(fit=True)
    image = code.make_image(image_factory=qrcode.image.svg.SvgPathImage)
    return image.to_string(encoding="unicode")


def decision_context(document: DecisionDocument, *, preview: bool = False) -> dict:
    from procedures.decisions.verification import verification_url

    citizen_request = document.request
    url = verification_url(document)
    return {
        "town": settings.TOWN,
        "document": document,
        "sent": citizen_request,
        "paragraphs": [part for part in document.body.split("\n\n") if part.strip()],
        "answers": selectors.answers_for_display(citizen_request),
        "verification_url": url,
        # qrcode writes the SVG from the URL alone: no text of anyone's reaches it.
        "qr_svg": mark_safe(qr_svg(url)),  # noqa: S308
        "preview": preview,
    }


def decision_pdf_bytes(document: DecisionDocument, *, preview: bool = False) -> bytes:
    return render_pdf(TEMPLATE, decision_context(document, preview=preview))


def decision_pdf_content(document: DecisionDocument) -> bytes:
    folder = f"{FOLDER}/{document.request_id}/{document.pk}"
    name = f"{document.verification_code}-v{LAYOUT_VERSION}.pdf"
    return version_cached(private_storage, folder, name, lambda: decision_pdf_bytes(document))


def decisions_delete_all(request_pk: int) -> None:
    """When a request is deleted, the PDFs of its documents go with it."""
    try:
        folders, _files = private_storage.listdir(f"{FOLDER}/{request_pk}")
    except FileNotFoundError:
        return
    for folder in folders:
        folder_delete(private_storage, f"{FOLDER}/{request_pk}/{folder}")


def decision_attachment(document_pk: int) -> tuple[str, bytes, str]:
    """For the decision's mail (notifications.attachments), built at send time."""
    document = DecisionDocument.objects.select_related("request").get(pk=document_pk)
    document.request = selectors.request_with_details(
        type(document.request).objects.filter(pk=document.request_id)
    ).get()
    return decision_file_name(document), decision_pdf_content(document), PDF_MIMETYPE
