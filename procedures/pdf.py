"""The request as a tagged PDF (PDF/UA-1), built once per version of the request.

A PDF is stored in the private storage under a name made of the request's pk and
its ``updated_at``: every change of the request (answers, documents, a transition,
which saves the request) gives a new name, so a cached file is never stale and
the older versions of the same request are deleted when a new one is written.

One process builds a version: the first to claim it in the shared cache (the worker,
queued on commit by every transition, or the web when the citizen asks first). The
file is the single source: the other finds it there, or, while the build runs, the web
tells the citizen it is being prepared instead of building it a second time (the rush
of bench/ found the web and the worker both paying WeasyPrint for one sending).
"""

from django.conf import settings
from django.core.cache import cache
from django.utils import timezone

from common.pdf import (
    folder_delete,
    render_pdf,
    version_read,
    version_stamp,
    version_store,
)
from common.private_storage import private_storage
from procedures import selectors
from procedures.models import Request

# Bump when the template or its style changes: PDFs of the old layout are rebuilt.
LAYOUT_VERSION = 2
PDF_DIR = "pdf"
TEMPLATE = "procedures/pdf/request.html"
STYLESHEET = "procedures/pdf/request.css"
# Longer than a build takes on a loaded machine (seconds), short enough that a builder
# killed in the middle holds no one back for long: the web builds it after that.
BUILD_CLAIM_SECONDS = 30


def pdf_folder(request: Request) -> str:
    return f"{PDF_DIR}/{request.pk}"


def pdf_name(request: Request) -> str:
    """The storage name of this version of the request's PDF."""
    return f"{pdf_folder(request)}/{version_stamp(request.updated_at)}-v{LAYOUT_VERSION}.pdf"


def pdf_context(request: Request) -> dict:
    """What the citizen reads: never a clerk's name, only « la mairie »."""
    documents = selectors.documents_for_display(request)
    return {
        "town": settings.TOWN,
        "sent": request,
        "answers": selectors.answers_for_display(request),
        "documents": documents,
        "paper_expected": any(row["document"] is None for row in documents),
        "events": list(request.events.all()),
        "printed_at": timezone.now(),
    }


def request_pdf_bytes(request: Request) -> bytes:
    """Render the request with WeasyPrint, tagged for screen readers (PDF/UA-1)."""
    return render_pdf(TEMPLATE, pdf_context(request), stylesheet=STYLESHEET)


def cached_pdf(name: str) -> bytes | None:
    return version_read(private_storage, name)


def pdf_store(request: Request, data: bytes) -> None:
    """Write this version and delete the older ones of the same request."""
    version_store(private_storage, pdf_folder(request), pdf_name(request).rsplit("/", 1)[1], data)


def pdf_delete_all(request_pk: int) -> None:
    """When a request is purged, its cached PDFs go with it."""
    folder_delete(private_storage, f"{PDF_DIR}/{request_pk}")


def build_claim_key(name: str) -> str:
    return f"pdf-build:{name}"


def build_claim(name: str) -> bool:
    """True when this process may build the version: it claimed it, or the shared cache
    cannot tell (down: better two builds than a PDF refused)."""
    key = build_claim_key(name)
    if cache.add(key, 1, timeout=BUILD_CLAIM_SECONDS):
        return True
    return cache.get(key) is None


def request_pdf_content(request: Request) -> bytes | None:
    """The PDF of the request as it is now: from the cache, else built and cached here;
    None while another process is building this very version (ask again in a moment)."""
    name = pdf_name(request)
    data = cached_pdf(name)
    if data is not None:
        return data
    if not build_claim(name):
        return None
    try:
        # The claim was taken after a first look: the other builder may just have stored it.
        data = cached_pdf(name)
        if data is not None:
            return data
        # Built from the pk, with its details, as the request is at this moment.
        fresh = selectors.request_with_details(Request.objects.filter(pk=request.pk)).get()
        data = request_pdf_bytes(fresh)
        pdf_store(fresh, data)
        return data
    finally:
        cache.delete(build_claim_key(name))
