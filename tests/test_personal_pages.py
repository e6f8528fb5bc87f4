"""Personal pages are never kept by a shared cache (OWASP ASVS 8.2.1, issue 23): every
answer to a logged-in citizen or clerk, and every page open without a login that shows
personal data, says « Cache-Control: private, no-store ». Walked over the URL resolver as
tests/test_doors.py does, so that a new page cannot be forgotten; public pages keep their
own headers."""

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from common.personal_pages import is_personal
from tests.test_doors import PUBLIC, citizen_urls, fill

pytestmark = pytest.mark.django_db

# Open without a login, and showing personal data: the tracking link of a request sent
# without an account (its page, its confirmation, its PDF) and the email-change links.
PERSONAL_WITHOUT_LOGIN = {
    "procedures:track",
    "procedures:track_pdf",
    "procedures:anonymous_done",
    "accounts:email_confirm",
    "accounts:email_cancel",
    "procedures:verify",  # a decision document: its holder's initials
    # The national search engine's answers: pre-application numbers and appointments.
    "ants:managed_meeting_points",
    "ants:available_time_slots",
    "ants:search_application_ids",
    # An appointment's mail link (its page, confirmation, move, .ics): name, date, place.
    "appointments:manage",
    "appointments:done",
    "appointments:move",
    "appointments:ics",
}
# Public pages that were never cached before this rule, for reasons of their own.
NEVER_CACHED_ANYWAY = {
    "health",
    "captcha_audio",
    "accounts:login",  # Django's own
    "appointments:lost_link",  # a captcha: each answer draws a new one
}


@pytest.fixture(autouse=True)
def _franceconnect_as_in_the_demo(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = True


def admin_urls(patterns=None, prefix=""):
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if prefix or route.startswith("admin/"):
                yield from admin_urls(pattern.url_patterns, route)
        elif isinstance(pattern, URLPattern) and route.startswith("admin/"):
            yield "/" + fill(route)


def private_and_no_store(response) -> bool:
    directives = {d.strip() for d in response.get("Cache-Control", "").split(",")}
    return {"private", "no-store"} <= directives


def wrong_answers(browser, paths) -> list[str]:
    wrong = []
    for path in paths:
        response = browser.get(path)
        if not private_and_no_store(response):
            wrong.append(f"GET {path}: {response.status_code} {response.get('Cache-Control')}")
    return wrong


def test_every_page_of_a_logged_in_citizen_is_private_and_never_stored(citizen):
    browser = Client(raise_request_exception=False)
    browser.force_login(citizen)
    paths = [path for _name, path in citizen_urls()]
    assert len(paths) > 50
    wrong = wrong_answers(browser, paths)
    assert not wrong, "\n".join(wrong)


def test_every_admin_page_of_a_clerk_is_private_and_never_stored(clerk):
    browser = Client(raise_request_exception=False)
    browser.force_login(clerk)
    paths = list(admin_urls())
    assert "/admin/" in paths and len(paths) > 50
    wrong = wrong_answers(browser, paths)
    assert not wrong, "\n".join(wrong)


def test_pages_with_personal_data_are_private_without_a_login_and_public_ones_keep_theirs():
    browser = Client(raise_request_exception=False)
    wrong = []
    for name, path in citizen_urls():
        if name not in PUBLIC:
            continue
        response = browser.get(path)
        personal = private_and_no_store(response)
        if name in PERSONAL_WITHOUT_LOGIN and not personal:
            wrong.append(f"{name}: personal, but {response.get('Cache-Control')}")
        if name not in PERSONAL_WITHOUT_LOGIN | NEVER_CACHED_ANYWAY and personal:
            wrong.append(f"{name}: public, but {response.get('Cache-Control')}")
    assert not wrong, "\n".join(wrong)
    assert set(PUBLIC) >= PERSONAL_WITHOUT_LOGIN


def test_the_production_list_of_requests_says_private_no_store(citizen, settings):
    """The issue's finding: /demandes/ in production sent no Cache-Control at all."""
    settings.DEBUG = False
    browser = Client()
    browser.force_login(citizen)
    response = browser.get("/demandes/")
    assert response.status_code == 200
    assert private_and_no_store(response)
    assert is_personal(response.wsgi_request)
