"""Every citizen-side URL the project registers, tried by an anonymous visitor: a page for
citizens sends them to the login, and only the pages listed here as public answer
otherwise. Generated from the URL resolver, so that a new URL cannot be forgotten: it is
closed by default, or it is added below on purpose. (The admin has its own matrix:
tests/backoffice/test_authorization_matrix.py.)"""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("accounts:login")

# Open to anyone, with the status an anonymous GET gets when the URL's arguments name
# nothing (an id of 1 in an empty database, the slug or key "x").
PUBLIC = {
    "home": 200,
    "help": 200,
    "legal": 200,
    "privacy": 200,
    "accessibility": 200,
    "accessibility_plan": 200,
    "site_map": 200,
    "health": 200,
    "accounts:login": 200,
    "accounts:register": 200,
    "accounts:password_forgotten": 200,
    # Confirmations that name nobody: the same words for anyone.
    "accounts:register_done": 302,  # Without a registration just made: to the home page.
    "accounts:password_forgotten_done": 200,
    "privacy:closed": 200,
    "procedures:catalogue": 200,
    "procedures:theme": 404,
    "procedures:anonymous_start": 404,
    "procedures:anonymous_done": 404,
    "procedures:track": 404,
    "procedures:track_pdf": 404,
    # A decision document's verification, read from its QR code by anyone (issue 25).
    "procedures:verify": 404,
    # Keys in the URL: an unknown one is refused in French, or not found.
    "accounts:email_confirm": 410,
    "accounts:email_cancel": 410,
    "captcha_audio": 410,
    "captcha-image": 410,
    "captcha-image-2x": 404,
    "captcha-audio": 404,  # The library's English audio is off (common.captcha speaks).
    "captcha-refresh": 404,  # Only for the page's own script.
    # FranceConnect's way back: without the state this browser was given, refused in French.
    "franceconnect:callback": 400,
    # The first visit's page and the return from FranceConnect's logout: to the home page
    # unless the session holds an identity or a logout state of its own.
    "franceconnect:complete": 302,
    "franceconnect:logged_out": 302,
    # The simulated provider (allowed below, as under `make run`): its login page refuses a
    # request without its parameters, its userinfo a request without a token; the keys are
    # public by nature.
    "franceconnect_simulated:authorize": 400,
    "franceconnect_simulated:userinfo": 401,
    "franceconnect_simulated:jwks": 200,
    "franceconnect_simulated:end_session": 400,
    # ProConnect on the admin's login (staff_login): the same doors as FranceConnect's, its
    # return from logout going to the admin's login page.
    "proconnect:callback": 400,
    "proconnect:logged_out": 302,
    "proconnect_simulated:authorize": 400,
    "proconnect_simulated:userinfo": 401,
    "proconnect_simulated:jwks": 200,
    "proconnect_simulated:end_session": 400,
    # A régie's backend (PayFiP, a bank) calls its notification URL: an unknown régie is not
    # found. The simulated PayFiP (on under DEBUG, as in the tests): its web service without
    # ?wsdl, and its page without an operation id, find nothing.
    "payments:eopayment_notification": 404,
    "payments:payfip_simulator_ws": 404,
    "payments:payfip_simulator_page": 404,
    # Appointments (appointments/): anyone books, without an account; an unknown agenda or
    # token is not found; the link page asks for an address.
    "appointments:index": 200,
    "appointments:lost_link": 200,
    "appointments:agenda": 404,
    "appointments:book": 404,
    "appointments:manage": 404,
    "appointments:done": 404,
    "appointments:move": 404,
    "appointments:ics": 404,
    # The national search engine's endpoints: its token, or 401 (appointments/ants/editor.py).
    "ants:managed_meeting_points": 401,
    "ants:available_time_slots": 401,
    "ants:search_application_ids": 401,
    # The simulated ANTS answers under DEBUG with ANTS_SIMULATED only (404 in this test).
    "ants:simulated_root": 404,
    "ants:simulated_status": 404,
    "ants:simulated_appointments": 404,
}


@pytest.fixture(autouse=True)
def _franceconnect_as_in_the_demo(settings, tmp_path):
    """FranceConnect's pages answer only when a provider is configured: the simulated one
    (its signing key is made under VAR_DIR)."""
    settings.VAR_DIR = tmp_path
    settings.FRANCECONNECT_SIMULATED = True
    settings.FRANCECONNECT_ALLOW_SIMULATED = True
    settings.PROCONNECT_SIMULATED = True
    settings.PROCONNECT_ALLOW_SIMULATED = True
    # The captcha's audio door as where espeak-ng is installed (an unknown key never runs
    # it): the same answer on a machine without it (tests/tools.py).
    settings.CAPTCHA_SPEECH_PATH = "/usr/bin/espeak-ng"


def citizen_urls(patterns=None, prefix="", namespace=""):
    """(name, path) of every URL outside the admin, its arguments filled in."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if route.startswith("admin/"):
                continue
            inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
            yield from citizen_urls(pattern.url_patterns, route, inner or namespace)
        elif isinstance(pattern, URLPattern):
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name or ""
            yield name, "/" + fill(route)


def fill(route: str) -> str:
    route = re.sub(r"\(\?P<\w+>[^)]*\)", "x", route).replace("^", "").replace("$", "")
    route = re.sub(r"<int:\w+>", "1", route)
    return re.sub(r"<(?:str|slug|path):\w+>", "x", route)


def test_every_citizen_page_is_closed_to_strangers_unless_listed_as_public(client):
    wrong = []
    for name, path in citizen_urls():
        response = client.get(path)
        status = response.status_code
        if name in PUBLIC:
            ok = status == PUBLIC[name]
        else:
            # Closed: to the login before anything is looked up, or a method not allowed.
            ok = (status == 302 and response["Location"].startswith(LOGIN)) or status == 405
        if not ok:
            wrong.append(f"{name} GET {path}: {status} {response.get('Location', '')}")
    assert not wrong, "\n".join(wrong)


def test_every_public_page_still_exists():
    names = {name for name, _ in citizen_urls()}
    assert set(PUBLIC) <= names
