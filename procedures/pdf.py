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

import threading
from datetime import UTC

from django.conf import settings
from django.core.files.base import ContentFile
from django.template.loader import render_to_string
from django.utils import timezone, translation
from weasyprint import HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from citizen_portal import shared_cache
from procedures import selectors
from procedures.models import Request
from procedures.storage import private_storage

# Bump when the template or its style changes: PDFs of the old layout are rebuilt.
LAYOUT_VERSION = 1
PDF_DIR = "pdf"
TEMPLATE = "procedures/pdf/request.html"
# Longer than a build takes on a loaded machine (seconds), short enough that a builder
# killed in the middle holds no one back for long: the web builds it after that.
BUILD_CLAIM_SECONDS = 30


def pdf_folder(request: Request) -> str:
    return f"{PDF_DIR}/{request.pk}"


def pdf_name(request: Request) -> str:
    """The storage name of this version of the request's PDF."""
    stamp = request.updated_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
    return f"{pdf_folder(request)}/{stamp}-v{LAYOUT_VERSION}.pdf"


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


_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """One per thread, kept: a new one for each PDF (WeasyPrint's default) loads the fonts
    from fontconfig again, 15–20 ms of the 105–125 ms of CPU a build costs (measured on
    the rush's PDF). Pango's font map is not shared between threads."""
    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def request_pdf_bytes(request: Request) -> bytes:
    """Render the request with WeasyPrint, tagged for screen readers (PDF/UA-1)."""
    with translation.override("fr"):
        html = render_to_string(TEMPLATE, pdf_context(request))
    # Nothing leaves the server: the style is inline, fonts come from fontconfig,
    # and any URL that slipped into the document is refused.
    no_fetching = URLFetcher(allowed_protocols=())
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(
        pdf_variant="pdf/ua-1", font_config=font_configuration()
    )


def cached_pdf(name: str) -> bytes | None:
    if not private_storage.exists(name):
        return None
    try:
        with private_storage.open(name, "rb") as stored:
            return stored.read()
    except FileNotFoundError:  # Deleted by a newer version in between.
        return None


def pdf_store(request: Request, data: bytes) -> None:
    """Write this version and delete the older ones of the same request."""
    name = pdf_name(request)
    try:
        written = private_storage.save(name, ContentFile(data))
    except FileNotFoundError:
        # The worker and the citizen's click built the same version at once (the rush
        # found it): the first to store it deleted this copy, under its suffixed name,
        # while it was being written. Its own copy is the same PDF and stays.
        return
    if written != name:
        # Another process built the same version at the same time: keep one file.
        private_storage.delete(written)
    try:
        _folders, files = private_storage.listdir(pdf_folder(request))
    except FileNotFoundError:
        return
    for other in files:
        other_name = f"{pdf_folder(request)}/{other}"
        if other_name != name:
            private_storage.delete(other_name)


def pdf_delete_all(request_pk: int) -> None:
    """When a request is purged, its cached PDFs go with it."""
    folder = f"{PDF_DIR}/{request_pk}"
    try:
        _folders, files = private_storage.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        private_storage.delete(f"{folder}/{name}")


def build_claim_key(name: str) -> str:
    return f"pdf-build:{name}"


def build_claim(name: str) -> bool:
    """True when this process may build the version: it claimed it, or the shared cache
    cannot tell (down: better two builds than a PDF refused)."""
    key = build_claim_key(name)
    if shared_cache.add(key, 1, timeout=BUILD_CLAIM_SECONDS):
        return True
    return shared_cache.get(key) is None


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
        shared_cache.delete_many([build_claim_key(name)])
