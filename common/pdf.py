"""Tagged PDFs (PDF/UA-1) rendered from a template, and their cache on disk.

A PDF is rendered with WeasyPrint from a template whose style is inline and whose
fonts come from fontconfig: nothing leaves the server, and any URL that slipped into
the document is refused. Rendering costs tenths of a second, so each app keeps the
file of the object's current version (pretix's cached tickets are the model): the
name carries the object's ``updated_at``, every change gives a new name, a cached
file is never stale, and storing a version deletes the older ones beside it.
"""

import threading
from collections.abc import Callable
from datetime import UTC, datetime

from django.core.files.base import ContentFile
from django.core.files.storage import Storage
from django.template.loader import render_to_string
from django.utils import translation
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

PDF_MIMETYPE = "application/pdf"

_fonts = threading.local()


def font_configuration() -> FontConfiguration:
    """One per thread, kept: a new one for each PDF (WeasyPrint's default) loads the fonts
    from fontconfig again, 15–20 ms of the 105–125 ms of CPU a build costs (measured on
    the rush's PDF). Pango's font map is not shared between threads."""
    if not hasattr(_fonts, "configuration"):
        _fonts.configuration = FontConfiguration()
    return _fonts.configuration


def parsed_stylesheet(template: str) -> CSS:
    """The stylesheet ``template``, parsed once per thread (its fonts are the thread's
    font configuration's): parsing it again for every PDF is work for nothing."""
    parsed = _fonts.__dict__.setdefault("stylesheets", {})
    if template not in parsed:
        parsed[template] = CSS(
            string=render_to_string(template),
            font_config=font_configuration(),
            url_fetcher=URLFetcher(allowed_protocols=()),
        )
    return parsed[template]


def render_pdf(template: str, context: dict, *, stylesheet: str | None = None) -> bytes:
    """The template rendered in French, as a PDF tagged for screen readers (PDF/UA-1);
    ``stylesheet``, a template of CSS, is parsed once per thread (else the template
    carries its style inline)."""
    with translation.override("fr"):
        html = render_to_string(template, context)
    no_fetching = URLFetcher(allowed_protocols=())
    stylesheets = [parsed_stylesheet(stylesheet)] if stylesheet else None
    return HTML(string=html, url_fetcher=no_fetching).write_pdf(
        pdf_variant="pdf/ua-1", font_config=font_configuration(), stylesheets=stylesheets
    )


def version_stamp(moment: datetime) -> str:
    """The part of a file name that changes with each version of the object."""
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")


def version_read(store: Storage, path: str) -> bytes | None:
    """The stored file at ``path``, or None when this version was never stored."""
    if not store.exists(path):
        return None
    try:
        with store.open(path, "rb") as stored:
            return stored.read()
    except FileNotFoundError:  # Deleted by a newer version in between.
        return None


def version_store(store: Storage, folder: str, name: str, data: bytes) -> None:
    """Write ``folder/name`` and delete the other versions in ``folder``."""
    path = f"{folder}/{name}"
    try:
        written = store.save(path, ContentFile(data))
    except FileNotFoundError:
        # The worker and the citizen's click built the same version at once (the rush
        # found it): the first to store it deleted this copy, under its suffixed name,
        # while it was being written. Its own copy is the same PDF and stays.
        return
    if written != path:
        # Another process built the same version at the same time: keep one file.
        store.delete(written)
    try:
        _folders, files = store.listdir(folder)
    except FileNotFoundError:
        return
    for other in files:
        if other != name:
            store.delete(f"{folder}/{other}")


def version_cached(store: Storage, folder: str, name: str, build: Callable[[], bytes]) -> bytes:
    """The stored ``folder/name``, else built now, stored, and the older versions deleted."""
    data = version_read(store, f"{folder}/{name}")
    if data is None:
        data = build()
        version_store(store, folder, name, data)
    return data


def folder_delete(store: Storage, folder: str) -> None:
    """Every version in ``folder``: when the object itself is deleted."""
    try:
        _folders, files = store.listdir(folder)
    except FileNotFoundError:
        return
    for name in files:
        store.delete(f"{folder}/{name}")
