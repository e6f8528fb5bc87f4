"""Browser tests: one headless Chromium for the session, a fresh French context per test.

The pages are served by pytest-django's ``live_server`` (a thread of this process),
so ``django.core.mail.outbox`` and in-process Celery tasks are visible to the tests.
"""

import os
from pathlib import Path

import pytest

from tests.e2e.html_validity import Document, validate
from tests.tools import require

# Playwright's sync API runs an event loop in the main thread; the tests still
# use the ORM (factories, assertions) from that thread.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
E2E_DIR = Path(__file__).resolve().parent
DEFAULT_TIMEOUT_MS = 10_000


def pytest_collection_modifyitems(config, items):
    for item in items:
        if E2E_DIR in Path(item.path).resolve().parents:
            item.add_marker(pytest.mark.e2e)


def require_chromium() -> Path:
    """Chromium on PATH (/usr/bin/chromium on Debian): skipped with its reason where it is
    missing, failed in CI (tests/tools.py)."""
    return Path(require("chromium"))


@pytest.fixture(scope="session")
def playwright():
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    browser = playwright.chromium.launch(
        executable_path=str(require_chromium()), headless=True, args=CHROMIUM_ARGS
    )
    yield browser
    browser.close()


@pytest.fixture(scope="session")
def visited_documents(tmp_path_factory):
    """The HTML of every page the browser tests visit, checked by the W3C Nu HTML Checker in
    one Java run when the session ends: zero errors allowed."""
    documents: list[Document] = []
    yield documents
    errors = validate(documents, tmp_path_factory.mktemp("nu"))
    assert not errors, f"{len(errors)} erreur(s) du validateur Nu (W3C) :\n" + "\n".join(errors)


def keep_html(documents: list[Document]):
    def on_response(response):
        request = response.request
        if request.resource_type != "document" or request.frame.parent_frame is not None:
            return
        if not response.headers.get("content-type", "").startswith("text/html"):
            return
        if 300 <= response.status < 400:
            return
        documents.append(Document(response.url, request.method, response.text()))

    return on_response


def is_csp_violation(text: str) -> bool:
    """Chromium reports each blocked script, style or frame in the console this way."""
    return "Content Security Policy" in text


def watch_csp_violations(context, violations: list[str]) -> None:
    """Collect the violations Chromium reports for our pages and files.

    Code that the tests themselves evaluate in the page (axe-core inserts a <style>
    element) has no URL: it is not the portal's, so it is left out.
    """

    def on_console(message):
        url = message.location.get("url")
        if url and is_csp_violation(message.text):
            violations.append(f"{url} : {message.text}")

    context.on("console", on_console)


@pytest.fixture
def open_page(browser, visited_documents):
    """Opens fresh French pages, each in its own context (another person's browser).

    Their HTML goes to the Nu checker; the test fails when Chromium reports a violation
    of our CSP on any of them.
    """
    contexts, violations = [], []

    def open_one():
        context = browser.new_context(locale="fr-FR", timezone_id="Europe/Paris")
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        watch_csp_violations(context, violations)
        contexts.append(context)
        page = context.new_page()
        page.on("response", keep_html(visited_documents))
        return page

    yield open_one
    for context in contexts:
        context.close()
    assert not violations, "Violations de la CSP :\n" + "\n".join(violations)


@pytest.fixture
def page(open_page):
    return open_page()
