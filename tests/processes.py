"""The real parts the fault-injection tests start, break and stop: a tarpit (accepts
connections, never answers), gunicorn, a Celery worker. PostgreSQL and Redis only: the
other processes must see the test database and a real broker. CI runs them; elsewhere
they are skipped when PostgreSQL or Redis is missing."""

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
import redis
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]
BROKER = os.environ.get("REDIS_URL_FOR_TESTS", "redis://127.0.0.1:6379/15")


def require_real_services() -> None:
    reasons = []
    if connection.vendor != "postgresql":
        reasons.append("PostgreSQL (DATABASE_URL)")
    try:
        redis.Redis.from_url(BROKER, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        reasons.append(f"Redis ({BROKER})")
    if reasons:
        message = "Processus réels : il manque " + ", ".join(reasons)
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def tarpit():
    """A port that accepts every connection and never says a word: a frozen server."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(64)
    accepted = []

    def accept_forever():
        while True:
            try:
                accepted.append(server.accept()[0])
            except OSError:
                return

    threading.Thread(target=accept_forever, daemon=True).start()
    try:
        yield server.getsockname()[1]
    finally:
        server.close()
        for peer in accepted:
            peer.close()


def database_url() -> str:
    """The test database, as another process reaches it."""
    db = connection.settings_dict
    return f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def portal_env(**extra: str) -> dict[str, str]:
    return {
        **os.environ,
        "DEBUG": "1",
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": BROKER,
        "PYTHONUNBUFFERED": "1",
        **extra,
    }


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def gunicorn(**env: str):
    """One sync worker: its persistent database connection is the one every request uses."""
    port = free_port()
    process = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "citizen_portal.wsgi:application",
            "--workers=1",
            f"--bind=127.0.0.1:{port}",
            "--timeout=60",
            "--log-level=warning",
        ],
        cwd=ROOT,
        env=portal_env(**env),
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn n'a pas démarré")
                time.sleep(0.2)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def celery_worker(*, include: tuple[str, ...] = (), **env: str) -> subprocess.Popen:
    """A solo worker (sends in its own process, so killing it kills the sending); it also
    imports the modules of ``include`` (a test's own attachment builders)."""
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "citizen_portal",
            "worker",
            "--pool",
            "solo",
            "--without-heartbeat",
            "--without-mingle",
            "--without-gossip",
            "--loglevel",
            "INFO",
            *(["--include", ",".join(include)] if include else []),
        ],
        cwd=ROOT,
        env=portal_env(**env),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    for line in process.stdout:
        if "ready." in line:
            break
        if time.monotonic() > deadline:
            stop(process)
            pytest.fail("le worker Celery n'a pas démarré")
    # Keep reading its output, so that a full pipe never blocks it.
    threading.Thread(target=process.stdout.read, daemon=True).start()
    return process


@contextmanager
def publishing_to(url: str):
    """This process publishes its tasks to ``url`` instead of running them in-process."""
    from citizen_portal.celery import app
    from common.queueing import broker_pause

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def use(conf):
        app.conf.update(**conf)
        app._pool = None
        app.amqp._producer_pool = None
        broker_pause.end()

    use({"broker_url": url, "task_always_eager": False})
    try:
        yield
    finally:
        use(saved)
