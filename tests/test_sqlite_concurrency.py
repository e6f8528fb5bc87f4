"""The embedded default under concurrency (issue 23): the portal as `make run` serves it
(SQLite in WAL mode, ``runserver``'s threaded server) takes eight « Envoyer ma demande »
at the same instant and gives eight numbers; a write that waits longer than the busy
timeout gets the 503 « réessayez dans un instant », and the draft stays whole.

Real processes on a throwaway SQLite file, whatever DATABASE_URL the suite runs on."""

import asyncio
import concurrent.futures
import json
import os
import sqlite3
import subprocess
import sys
import time
import urllib.request

import pytest

from bench.load import LOGIN_URL, Client, cookie_header
from bench.rush import FORM_URL, SENT, form_data
from tests.processes import ROOT, free_port, stop

pytestmark = pytest.mark.processes

PARENTS = 8


def run_apart(coroutine):
    """asyncio.run in a thread of its own: the browser tests that ran before in this
    process may have left an event loop running in the main thread."""
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def sqlite_env(var_dir) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "PYTEST")) and k not in ("DATABASE_URL", "REDIS_URL")
    }
    env.pop("CELERY_BROKER_URL", None)
    env.update(
        DJANGO_SETTINGS_MODULE="citizen_portal.settings",
        VAR_DIR=str(var_dir),
        DEBUG="1",
        CAPTCHA_TEST_MODE="1",
        SQLITE_BUSY_TIMEOUT="1",
        PYTHONUNBUFFERED="1",
    )
    return env


def run(env, *args) -> str:
    done = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=180
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="module")
def portal(tmp_path_factory):
    """migrate, seed_demo --households 8 and runserver on a SQLite file of its own."""
    var_dir = tmp_path_factory.mktemp("sqlite-portal")
    env = sqlite_env(var_dir)
    run(env, "manage.py", "migrate", "--no-input")
    run(env, "manage.py", "seed_demo", "--households", str(PARENTS))
    parents = json.loads(run(env, "-m", "bench.probe", "parents", str(PARENTS)))
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=(var_dir / "runserver.log").open("w"),
        start_new_session=True,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            with urllib.request.urlopen(f"{base}/sante/", timeout=2):  # noqa: S310
                break
        except OSError:
            assert server.poll() is None and time.monotonic() < deadline, (
                var_dir / "runserver.log"
            ).read_text()[-3000:]
            time.sleep(0.3)
    try:
        yield {"base": base, "parents": parents, "db": var_dir / "db.sqlite3"}
    finally:
        stop(server)


async def draft_ready(client: Client, identifier: str, password: str) -> tuple[str, str, str]:
    """Log in, fill « Inscription scolaire », save the draft: (summary URL, cookie, csrf)."""
    home = await client.get("/")
    csrf = home.cookies["csrftoken"]
    login = await client.post_form(
        LOGIN_URL,
        {"username": identifier, "password": password, "csrfmiddlewaretoken": csrf},
        cookie_header({"csrftoken": csrf}),
    )
    assert login.status == 302, login.status
    csrf = login.cookies.get("csrftoken", csrf)
    cookie = cookie_header({"sessionid": login.cookies["sessionid"], "csrftoken": csrf})
    form = await client.get(FORM_URL, cookie)
    draft = await client.post_form(FORM_URL, form_data(form.body.decode(), csrf), cookie)
    assert draft.status == 302, draft.status
    return draft.header("location"), cookie, csrf


async def drafts(portal, count: int) -> list[tuple[str, str, str]]:
    client = Client.of(portal["base"])
    citizens = portal["parents"]["citizens"]
    assert citizens, "no bench household with a child"
    password = portal["parents"]["password"]
    return [
        await draft_ready(client, citizens[n % len(citizens)]["identifier"], password)
        for n in range(count)
    ]


def numbers_of(db, pks: list[int]) -> list[str]:
    with sqlite3.connect(db) as database:
        marks = ",".join("?" * len(pks))
        rows = database.execute(
            f"SELECT number FROM procedures_request WHERE id IN ({marks})",  # noqa: S608
            pks,
        ).fetchall()
    return [number for (number,) in rows]


def test_eight_requests_sent_at_the_same_instant_get_eight_numbers(portal):
    ready = run_apart(drafts(portal, PARENTS))
    client = Client.of(portal["base"])

    async def send_all():
        return await asyncio.gather(
            *(
                client.post_form(url, {"csrfmiddlewaretoken": csrf}, cookie)
                for url, cookie, csrf in ready
            )
        )

    answers = run_apart(send_all())
    assert [answer.status for answer in answers] == [302] * PARENTS
    pks = [int(SENT.search(answer.header("location"))[1]) for answer in answers]
    numbers = numbers_of(portal["db"], pks)
    assert len(numbers) == PARENTS and None not in numbers
    assert len(set(numbers)) == PARENTS


def test_a_write_that_waits_past_the_busy_timeout_gets_the_503_and_keeps_the_draft(portal):
    ((url, cookie, csrf),) = run_apart(drafts(portal, 1))
    pk = int(url.split("/")[-3])
    holder = sqlite3.connect(portal["db"], isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the database (busy timeout: 1 s)
    try:
        answer = run_apart(
            Client.of(portal["base"]).post_form(url, {"csrfmiddlewaretoken": csrf}, cookie)
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert answer.status == 503
    assert answer.header("retry-after") == "5"
    assert "réessayez dans un instant" in answer.body.decode()
    with sqlite3.connect(portal["db"]) as database:
        state, number = database.execute(
            "SELECT state, number FROM procedures_request WHERE id = ?", [pk]
        ).fetchone()
    assert (state, number) == ("draft", None)
