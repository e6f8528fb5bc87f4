"""The web processes keep nothing of their own: a change made through one gunicorn
instance is seen through another at once (the README's « stateless, behind a load
balancer », and bench/run.py --scale-out's premise).

Two real gunicorn instances on the tests' PostgreSQL database and Redis, nginx in
front of both (bench/scale_out.py's configuration): a session opened through one is
used and closed through the other, a message read through one is no longer counted
unread by the other, a theme renamed through one's admin shows in the other's
catalogue; through nginx, whichever instance answers, the same.
"""

import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from django.db import connection

from accounts.sessions import SessionStore
from bench import scale_out, stack
from notifications.models import Message, MessageKind
from tests.factories import PASSWORD, UserFactory
from tests.procedures.factories import bulky_waste

ROOT = Path(__file__).resolve().parent.parent
IN_CI = os.environ.get("CI") == "true"
REDIS_URL = os.environ.get("REDIS_URL_FOR_TESTS", "")
TIMEOUT = 10


def missing() -> str | None:
    """What this machine lacks to run two instances behind nginx, if anything."""
    if scale_out.nginx_path() is None:
        return "nginx is missing (apt-get install nginx-light)"
    if not REDIS_URL:
        return "REDIS_URL_FOR_TESTS is not set: the instances share Redis"
    return None


pytestmark = [
    pytest.mark.skipif(missing() is not None and not IN_CI, reason=f"outside CI only: {missing()}"),
    pytest.mark.django_db(transaction=True),  # the instances read what the test commits
    pytest.mark.argon2,  # the instances check passwords with the production hasher
    pytest.mark.processes,  # gunicorn and nginx
]


def database_url() -> str:
    settings = connection.settings_dict
    return (
        f"postgres://{settings['USER']}@{settings['HOST'] or '127.0.0.1'}:"
        f"{settings['PORT'] or 5432}/{settings['NAME']}"
    )


def start_instance(env: dict, folder: Path) -> tuple[subprocess.Popen, str]:
    port = stack.free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    process = subprocess.Popen(  # noqa: S603
        [str(gunicorn), "citizen_portal.wsgi:application", "--workers=1"]
        + [f"--bind=127.0.0.1:{port}", f"--chdir={ROOT}", "--log-level=warning"],
        env=env,
        stdout=(folder / f"gunicorn-{port}.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=stack.die_with_parent,  # noqa: PLW1509
    )
    url = f"http://127.0.0.1:{port}"
    scale_out.wait_for(url, process, folder / f"gunicorn-{port}.log")
    return process, url


@pytest.fixture
def instances(tmp_path):
    """(first instance, second instance, nginx in front of both): their base URLs."""
    if connection.vendor != "postgresql":
        pytest.skip("the instances share the tests' database: PostgreSQL only")
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))},
        "DJANGO_SETTINGS_MODULE": "citizen_portal.settings",
        "DATABASE_URL": database_url(),
        "REDIS_URL": REDIS_URL,
        # The same for both, and the test's: one signs a session, the other reads it.
        "SECRET_KEY": settings.SECRET_KEY,
        "DEBUG": "1",
        "CAPTCHA_TEST_MODE": "1",
        "STAFF_TWO_FACTOR": "0",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "VAR_DIR": str(tmp_path),
        "CELERY_BROKER_URL": "",
    }
    started = []
    try:
        for _ in range(2):
            started.append(start_instance(env, tmp_path))
        ports = [int(url.rsplit(":", 1)[1]) for _process, url in started]
        balancer, balanced = scale_out.start_nginx(ports, tmp_path)
        started.append((balancer, balanced))
        yield [url for _process, url in started]
    finally:
        for process, _url in started:
            scale_out.stop(process)


def get(url: str, session: str = "") -> requests.Response:
    cookies = {"sessionid": session} if session else {}
    return requests.get(url, cookies=cookies, allow_redirects=False, timeout=TIMEOUT)


def post(url: str, data: dict, cookies: dict) -> requests.Response:
    data = {**data, "csrfmiddlewaretoken": cookies["csrftoken"]}
    headers = {"Referer": url}
    return requests.post(
        url, data=data, cookies=cookies, headers=headers, allow_redirects=False, timeout=TIMEOUT
    )


def log_in(base: str, identifier: str) -> str:
    """The session cookie of a login through ``base``'s form."""
    csrf = get(f"{base}/").cookies["csrftoken"]
    answer = post(
        f"{base}/compte/connexion/",
        {"username": identifier, "password": PASSWORD},
        {"csrftoken": csrf},
    )
    assert answer.status_code == 302, answer.status_code
    return answer.cookies["sessionid"]


def staff_session(user) -> str:
    """A staff member's session, written to the database as a login would write it."""
    store = SessionStore()
    store[SESSION_KEY] = str(user.pk)
    store[BACKEND_SESSION_KEY] = "accounts.backends.IdentifierBackend"
    store[HASH_SESSION_KEY] = user.get_session_auth_hash()
    store.create()
    return store.session_key


def test_a_session_opened_through_one_instance_is_used_and_closed_through_the_other(
    instances,
):
    first, second, balanced = instances
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    session = log_in(first, citizen.identifier)
    for base in (second, balanced, balanced):
        answer = get(f"{base}/compte/", session)
        assert answer.status_code == 200
        assert citizen.identifier in answer.text
    csrf = get(f"{second}/").cookies["csrftoken"]
    logout = post(f"{second}/compte/deconnexion/", {}, {"sessionid": session, "csrftoken": csrf})
    assert logout.status_code == 302
    assert get(f"{first}/compte/", session).status_code == 302  # to the login page


def test_a_message_read_through_one_instance_is_no_longer_unread_in_the_other(instances):
    first, second, balanced = instances
    citizen = UserFactory()
    message = Message.objects.create(
        kind=MessageKind.INFORMATION,
        account=citizen,
        to_email=citizen.email,
        subject="Votre demande avance",
        body_text="Bonjour",
        body_html="<p>Bonjour</p>",
    )
    session = log_in(first, citizen.identifier)
    assert "1 non lu" in get(f"{second}/", session).text  # counted, and cached in Redis
    assert get(f"{first}/messages/{message.pk}/", session).status_code == 200
    for base in (second, balanced, balanced):
        assert "non lu" not in get(f"{base}/", session).text


def test_a_theme_renamed_through_one_instance_shows_at_once_in_the_other(instances):
    first, second, balanced = instances
    theme = bulky_waste().theme
    citizen = UserFactory()
    clerk = UserFactory(is_staff=True, is_superuser=True)
    session = log_in(first, citizen.identifier)
    assert theme.title in get(f"{second}/services-en-ligne/", session).text  # now cached
    admin_session = staff_session(clerk)
    change = f"{first}/admin/procedures/theme/{theme.pk}/change/"
    page = get(change, admin_session)
    assert page.status_code == 200, (page.status_code, page.headers.get("Location"))
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)[1]
    cookies = {"sessionid": admin_session, "csrftoken": page.cookies.get("csrftoken", "")}
    renamed = requests.post(
        change,
        data={
            "csrfmiddlewaretoken": token,
            "title": "Propreté de la ville",
            "slug": theme.slug,
            "description": theme.description,
            "order": theme.order,
            "_save": "Enregistrer",
        },
        cookies=cookies,
        headers={"Referer": change},
        allow_redirects=False,
        timeout=TIMEOUT,
    )
    assert renamed.status_code == 302, renamed.text[:2000]
    started = time.monotonic()
    for base in (second, balanced, balanced):
        assert "Propreté de la ville" in get(f"{base}/services-en-ligne/", session).text
    assert time.monotonic() - started < 5
