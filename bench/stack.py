"""The rush's other processes, as docker-compose runs them: the Celery workers on the
Redis broker (``worker``, ``--concurrency 2``, and ``worker-pdf``, the request PDFs' queue,
one at once and niced, as the compose file says), and a local SMTP sink
(bench/smtp_sink.py) in place of the town's mail relay."""

import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Stack:
    worker: subprocess.Popen | None  # None: the tasks run in the web process (smoke, no Redis)
    sink: subprocess.Popen
    mail_journal: Path
    pdf_worker: subprocess.Popen | None = None  # the « pdf » queue's, niced (docker-compose)

    @property
    def worker_pids(self) -> list[int]:
        return [p.pid for p in (self.worker, self.pdf_worker) if p is not None]

    def stop(self) -> None:
        for process in (self.worker, self.pdf_worker, self.sink):
            stop_process(process)


def stop_process(process: subprocess.Popen | None) -> None:
    """SIGTERM, 30 s to finish, then SIGKILL."""
    if process is not None and process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def wait_healthy(base_url: str, process: subprocess.Popen, log_file: Path) -> bool:
    """True once ``base_url``/sante/ answers 200 (60 s at most); exits if the process died."""
    import urllib.request

    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"{base_url} stopped: see {log_file}")
        try:
            with urllib.request.urlopen(f"{base_url}/sante/", timeout=2) as answer:  # noqa: S310
                if answer.status == 200:
                    return True
        except OSError:
            time.sleep(0.3)
    return False


def die_with_parent() -> None:
    """For Popen's preexec_fn: the child gets SIGTERM when the bench dies, even killed
    (a test's timeout): an orphaned worker would take the next run's tasks. Linux only."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rush_environment(env: dict, broker_url: str, smtp_port: int) -> dict:
    """The web's and the worker's settings for the rush: mail to the sink, tasks to the
    broker (when there is one: else Celery runs them in the web process), connections
    kept for the run."""
    env = {**env, "EMAIL_HOST": "127.0.0.1", "EMAIL_PORT": str(smtp_port)}
    # Connections kept for the whole run, not renewed each minute as .env.example's 60 s
    # would: PostgreSQL's CPU is read from the live backends of the bench's database, and
    # a backend closed in the middle of a level takes its CPU with it (bench/cpu.py). A
    # reconnection a minute per process costs nothing measurable either way.
    env["CONN_MAX_AGE"] = "3600"
    env.update(EMAIL_USE_TLS="0", EMAIL_USE_SSL="0", EMAIL_TIMEOUT="5")
    if broker_url:
        env["CELERY_BROKER_URL"] = broker_url
    return env


def start_sink(var_dir: Path) -> tuple[subprocess.Popen, Path, int]:
    port = free_port()
    journal = var_dir / "mails.jsonl"
    journal.touch()
    sink = subprocess.Popen(  # noqa: S603
        [sys.executable, "-m", "bench.smtp_sink", str(port), str(journal)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        text=True,
        start_new_session=True,
        preexec_fn=die_with_parent,  # noqa: PLW1509 (no threads yet in the bench)
    )
    if sink.stdout.readline().strip() != "ready":
        raise SystemExit("the SMTP sink did not start")
    return sink, journal, port


def start_worker(
    env: dict, var_dir: Path, *, queue: str = "celery", concurrency: int = 2, nice: int = 0
) -> subprocess.Popen:
    """A worker as docker-compose.yml starts it: ``worker`` (the default queue, 2 at once)
    or ``worker-pdf`` (the « pdf » queue, one at once, niced)."""
    celery = Path(sys.executable).with_name("celery")
    niced = ["nice", "-n", str(nice)] if nice else []
    log_name = "worker.log" if queue == "celery" else f"worker-{queue}.log"
    worker = subprocess.Popen(  # noqa: S603
        [*niced, str(celery), "-A", "citizen_portal", "worker", "-Q", queue]
        + ["--concurrency", str(concurrency), "--hostname", f"{queue}@%h"]
        + ["--loglevel", "info", "--without-gossip", "--without-mingle"],
        cwd=ROOT,
        env=env,
        stdout=(var_dir / log_name).open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=die_with_parent,  # noqa: PLW1509 (no threads yet in the bench)
    )
    time.sleep(1)
    if worker.poll() is not None:
        raise SystemExit(f"the Celery worker stopped: see {var_dir / log_name}")
    return worker


def start(env: dict, var_dir: Path, broker_url: str) -> tuple[Stack, dict]:
    """Start the sink and, with a broker, the worker; the environment the web must use."""
    sink, journal, port = start_sink(var_dir)
    env = rush_environment(env, broker_url, port)
    worker = start_worker(env, var_dir) if broker_url else None
    pdf_worker = (
        start_worker(env, var_dir, queue="pdf", concurrency=1, nice=10) if broker_url else None
    )
    return Stack(worker=worker, sink=sink, mail_journal=journal, pdf_worker=pdf_worker), env
