"""The load benchmark in one command (``make bench``); see bench/README.md.

PostgreSQL, DEBUG off, ``seed_demo --households 100000`` (timed, skipped when the
database already holds it), gunicorn with one worker per core serving
bench.settings, then every page at 8 and 32 concurrent users for a fixed time,
beside the two baselines. Writes bench/RESULTS.md.

``--smoke``: 20 households, 2 users (the rush: 8 parents), a few seconds, on a throwaway database
(PostgreSQL when DATABASE_URL points to it, else SQLite), report in a temporary
file: ``make test`` runs it so that the benchmark cannot rot.
"""

import argparse
import asyncio
import json
import os
import platform
import random
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import load, report, rush_report, rush_run, scale_out, stack  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/citizen_portal_bench"
RESULTS = ROOT / "bench" / "RESULTS.md"
SAMPLE = 5000


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--smoke", action="store_true", help="tiny data, a few seconds")
    parser.add_argument("--households", type=int, help="default 100000 (smoke: 20)")
    parser.add_argument("--duration", type=float, help="seconds per page and level (30)")
    parser.add_argument("--users", help="concurrency levels, comma-separated (8,32)")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--reseed", action="store_true", help="drop and recreate the database")
    parser.add_argument(
        "--database-url",
        help=f"PostgreSQL database of the bench (BENCH_DATABASE_URL, else {DEFAULT_DATABASE_URL});"
        " DATABASE_URL is never used, so that a development database is not filled",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14"),
        help="the shared cache, as production has it (emptied first; BENCH_REDIS_URL)",
    )
    parser.add_argument("--output", type=Path, help="the report (bench/RESULTS.md)")
    parser.add_argument(
        "--rush-users", help="the rush's concurrent parents, comma-separated (8,32,64; 0: none)"
    )
    parser.add_argument("--rush-only", action="store_true", help="the rush, not the pages")
    parser.add_argument(
        "--scale-out",
        action="store_true",
        help="only: one gunicorn against two behind nginx, per core (bench/scale_out.py)",
    )
    args = parser.parse_args(argv)
    if args.smoke:
        args.households = args.households or 20
        args.duration = args.duration or 1.5
        args.users = args.users or "2"
        args.rush_users = args.rush_users or "8"  # the SQLite default holds 8 at once (issue 23)
    # The smoke run keeps the newer pages (load.NEWER) short: it must stay fast.
    args.newer_duration = 0.6 if args.smoke else None
    args.households = 100_000 if args.households is None else args.households
    args.duration = args.duration or 30.0
    # Baseline (a) just before each compared page: a third of a phase, 10 s at most.
    args.reference_duration = min(10.0, args.duration / 3)
    args.levels = [int(n) for n in (args.users or "8,32").split(",")]
    args.rush_levels = [int(n) for n in (args.rush_users or "8,32,64").split(",") if int(n)]
    if args.output is None:
        args.output = (
            Path(tempfile.gettempdir()) / f"bench-smoke-{os.getpid()}.md" if args.smoke else RESULTS
        )
    return args


# The database ---------------------------------------------------------------------------


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit(parts._replace(path=f"/{name}"))


def database_name(url: str) -> str:
    return urlsplit(url).path.lstrip("/")


def admin_connection(url: str):
    import psycopg

    return psycopg.connect(with_database(url, "postgres"), autocommit=True)


def create_database(url: str, *, drop: bool) -> bool:
    """Create the database when missing (or dropped first); True when it is new."""
    from psycopg import sql

    name = database_name(url)
    with admin_connection(url) as connection:
        if drop:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
        exists = connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone()
        if not exists:
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return not exists


def drop_database(url: str) -> None:
    from psycopg import sql

    with admin_connection(url) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(database_name(url))
            )
        )


def choose_database(args, var_dir: Path) -> tuple[str, bool]:
    """(DATABASE_URL for the children, whether to drop it at the end)."""
    if args.smoke:
        url = os.environ.get("DATABASE_URL", "")
        if url.startswith(("postgres://", "postgresql://")):
            url = with_database(url, f"{database_name(url)}_banc_{os.getpid()}")
            create_database(url, drop=True)
            return url, True
        return f"sqlite:///{var_dir / 'bench.sqlite3'}", False
    url = args.database_url or os.environ.get("BENCH_DATABASE_URL") or DEFAULT_DATABASE_URL
    if not url.startswith(("postgres://", "postgresql://")):
        raise SystemExit("The benchmark runs on PostgreSQL: give a postgres:// URL.")
    create_database(url, drop=args.reseed)
    return url, False


# The Django side ------------------------------------------------------------------------


def child_environment(database_url: str, var_dir: Path) -> dict[str, str]:
    """Production-like settings: DEBUG off, the captcha's test mode off, persistent
    database connections as .env.example advises; cookies without Secure (plain HTTP),
    and the simulated payment provider (no Stripe key here; the bench pays nothing)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "PYTEST"))}
    env.update(
        DJANGO_SETTINGS_MODULE="bench.settings",
        PYTHONPATH=str(ROOT),
        DATABASE_URL=database_url,
        VAR_DIR=str(var_dir),
        DEBUG="0",
        CAPTCHA_TEST_MODE="0",
        SECRET_KEY=secrets.token_urlsafe(40),
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
        SECURE_COOKIES="0",
        SECURE_SSL_REDIRECT="0",
        CONN_MAX_AGE="60",
        LOG_LEVEL="WARNING",
        PAYMENT_ALLOW_SIMULATED="1",
        # The régies' simulated PayFiP (the bench pays nothing) and the national search's
        # token (its availableTimeSlots is measured).
        PAYFIP_ALLOW_SIMULATED="1",
        ANTS_HUB_TOKEN=secrets.token_urlsafe(24),
    )
    for name in ("CELERY_BROKER_URL", "REDIS_URL", "EMAIL_HOST", "STRIPE_SECRET_KEY"):
        env.pop(name, None)
    return env


def redis_cache(args) -> str:
    """The shared cache as in production (docker-compose's REDIS_URL), emptied first:
    "" when the bench runs without (smoke mode, or no Redis answers)."""
    if args.smoke or not args.redis_url:
        return ""
    import redis

    try:
        redis.Redis.from_url(args.redis_url, socket_connect_timeout=2).flushdb()
    except redis.RedisError:
        log(f"No Redis at {args.redis_url}: the cache is each process's own memory.")
        return ""
    return args.redis_url


def python(env: dict, *args: str) -> str:
    """Run ``python ARGS`` in the project with ``env``; its stdout, or exit when it fails."""
    completed = subprocess.run(  # noqa: S603
        [sys.executable, *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        log(completed.stdout + completed.stderr)
        raise SystemExit(f"python {' '.join(args)} failed")
    return completed.stdout


def manage(env: dict, *args: str) -> str:
    return python(env, "manage.py", *args)


def probe(env: dict, *args: str):
    return json.loads(python(env, "-m", "bench.probe", *args))


def seed_record(database_url: str) -> Path:
    parts = urlsplit(database_url)
    key = f"{parts.hostname}-{parts.port or 5432}-{database_name(database_url)}"
    return ROOT / "bench" / f".seed-{key}.json"


def seed(args, env: dict, database_url: str) -> dict:
    """Seed unless the database already holds the households; the timing is kept."""
    record = None if args.smoke else seed_record(database_url)
    counts = probe(env, "counts")
    # A database seeded before the bench's agendas existed gets them (and nothing else).
    complete = counts["households"] >= args.households and counts.get("bookings")
    if complete and not args.reseed:
        log(f"Data already there ({counts['households']} households): not seeded again.")
        if record and record.exists():
            return {**json.loads(record.read_text()), "reused": True}
        return {"seconds": None, "households": args.households, "reused": True}
    log(f"seed_demo --households {args.households} …")
    started = time.monotonic()
    output = manage(env, "seed_demo", "--households", str(args.households))
    seconds = time.monotonic() - started
    timing = {
        "seconds": seconds,
        "households": args.households,
        "date": datetime.now().astimezone().isoformat(timespec="seconds"),
        "summary": output.strip().splitlines()[-2] if output.strip() else "",
    }
    log(f"  seeded in {seconds:.1f} s")
    if record:
        record.write_text(json.dumps(timing))
    return {**timing, "reused": False}


# The server -----------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(
    env: dict, workers: int, var_dir: Path, *, port: int | None = None, threads: int = 0
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving bench.settings: sync workers, or one with ``threads`` threads."""
    port = port or free_port()
    gunicorn = Path(sys.executable).with_name("gunicorn")
    kind = ["--worker-class=gthread", f"--threads={threads}"] if threads else []
    server = subprocess.Popen(  # noqa: S603
        [
            str(gunicorn),
            "citizen_portal.wsgi:application",
            f"--workers={workers}",
            *kind,
            f"--bind=127.0.0.1:{port}",
            f"--chdir={ROOT}",
            "--timeout=120",
            "--log-level=warning",
            f"--error-logfile={var_dir / 'gunicorn.log'}",
        ],
        env=env,
        stdout=(var_dir / "web.log").open("a"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=stack.die_with_parent,  # noqa: PLW1509 (no threads yet in the bench)
    )
    base_url = f"http://127.0.0.1:{port}"
    if stack.wait_healthy(base_url, server, var_dir / "gunicorn.log"):
        return server, base_url
    stop_server(server)
    raise SystemExit("gunicorn did not answer /sante/ within 60 s")


def stop_server(server: subprocess.Popen) -> None:
    stack.stop_process(server)


# The run --------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    var_dir = Path(tempfile.mkdtemp(prefix="bench-"))
    database_url, drop_at_end = choose_database(args, var_dir)
    env = child_environment(database_url, var_dir)
    if cache_url := redis_cache(args):
        env["REDIS_URL"] = cache_url
    args.redis_url_live = broker(args, cache_url)
    try:
        log(f"Database: {database_url}")
        manage(env, "migrate", "--no-input")
        manage(env, "collectstatic", "--no-input")
        seeding = seed(args, env, database_url)
        if args.scale_out:
            return scaling_out(args, env, var_dir)
        failed = [] if args.rush_only else reading_pages(args, env, database_url, seeding, var_dir)
        if args.rush_levels:
            failed += rush(args, env, database_url, var_dir)
        if failed:
            log("Failed: " + "; ".join(failed))
            log(f"The servers' logs: {keep_logs(var_dir)}")
            return 1
        return 0
    finally:
        if drop_at_end:
            drop_database(database_url)
        shutil.rmtree(var_dir, ignore_errors=True)


def keep_logs(var_dir: Path) -> Path:
    """The logs of gunicorn and the worker outlive the run's temporary folder."""
    kept = Path(tempfile.mkdtemp(prefix="bench-logs-"))
    for name in ("gunicorn.log", "web.log", "worker.log", "worker-pdf.log"):
        if (var_dir / name).exists():
            shutil.copy(var_dir / name, kept / name)
    return kept


def broker(args, cache_url: str) -> str:
    """The rush's Celery broker: the shared cache's Redis, as docker-compose has one; in
    smoke mode the tests' Redis when one answers (else the tasks run in the web process)."""
    if not args.smoke:
        return cache_url
    url = os.environ.get("REDIS_URL_FOR_TESTS", "")
    if not url:
        return ""
    import redis

    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except redis.RedisError:
        return ""
    return url


def with_payfip(env: dict) -> tuple[dict, int, int]:
    """The portal's address (PayFiP's return and notification URLs name it) and the second
    instance's that serves the simulated PayFiP (bench/payment_journey.py)."""
    port, payfip_port = free_port(), free_port()
    env = {
        **env,
        "SITE_URL": f"http://127.0.0.1:{port}",
        "PAYFIP_SIMULATOR_URL": f"http://127.0.0.1:{payfip_port}/paiements/payfip-simule/securite",
    }
    return env, port, payfip_port


def reading_pages(args, env: dict, database_url: str, seeding: dict, var_dir: Path) -> list:
    """Every page at each level beside the baselines; the report; what failed."""
    server = payfip = None
    env, port, payfip_port = with_payfip(env)
    try:
        counts = probe(env, "counts")
        log("Queries per page (test client, in-process) …")
        queries = probe(env, "queries")
        sample = probe(env, "sample", str(SAMPLE))
        extras = probe(env, "extras")
        citizens = [c for c in sample["citizens"] if c["requests"]]
        # PayFiP's side: one process whose threads all wait on the portal at worst.
        payfip, payfip_base = start_server(env, 1, var_dir, port=payfip_port, threads=64)
        server, base_url = start_server(env, args.workers, var_dir, port=port)
        log(f"gunicorn, {args.workers} workers, on {base_url}; PayFiP on {payfip_base}")
        pool = load.Pool(citizens=citizens, password=sample["password"], rng=random.Random(7))
        pool.extras = {**extras, "hub_token": env["ANTS_HUB_TOKEN"], "payfip_base": payfip_base}
        asyncio.run(load.warm_up(base_url, pool, logins=2 * args.workers))
        results = []
        for users in args.levels:
            results += load.run_level(
                base_url,
                users,
                args.duration,
                pool,
                server.pid,
                log,
                args.reference_duration,
                args.newer_duration,
            )
    finally:
        for process in (server, payfip):
            if process is not None:
                stop_server(process)
    context = report.Context(
        args=args,
        database_url=database_url,
        counts=counts,
        seeding=seeding,
        queries=queries,
        results=results,
        postgres=postgres_version(env),
        started=datetime.now().astimezone(),
        machine=machine(),
        commit=git_commit(),
        python=platform.python_version(),
        cache=env.get("REDIS_URL", ""),
    )
    report.write(args.output, context)
    log(f"Report: {args.output}")
    failures = sum(sum(r.errors.values()) for r in results)
    empty = [r.page.key for r in results if not r.latencies]
    if failures or empty:
        return [f"failed requests: {failures}; pages without any answer: {empty}"]
    return []


def scaling_out(args, env: dict, var_dir: Path) -> int:
    """One gunicorn instance against two behind nginx (bench/scale_out.py); its section."""
    started = datetime.now().astimezone()
    load_average = " / ".join(f"{value:.2f}" for value in os.getloadavg())
    sample = probe(env, "sample", str(SAMPLE))
    citizens = [c for c in sample["citizens"] if c["requests"]]
    pool = load.Pool(citizens=citizens, password=sample["password"], rng=random.Random(7))
    outcome = scale_out.run(args, env, var_dir, pool, start_server, log)
    section = scale_out.render(
        outcome,
        commit=git_commit(),
        started=started.strftime("%Y-%m-%d %H:%M %Z"),
        load_average=load_average,
    )
    scale_out.splice(args.output, section)
    log(f"Report (scale-out): {args.output}")
    errors = sum(phase.errors for phase in outcome.phases)
    if errors:
        log(f"Failed requests in the scale-out: {errors}")
        return 1
    return 0


def rush(args, env: dict, database_url: str, var_dir: Path) -> list[str]:
    """The morning school registrations open (bench/rush.py); its section of the report."""
    outcome = rush_run.run(args, env, var_dir, database_url, log)
    _section, findings = rush_report.kept(args.output)
    section = rush_report.render(
        outcome, commit=git_commit(), machine=machine(), args=args, findings=findings
    )
    rush_report.splice(args.output, section)
    log(f"Report (rush): {args.output}")
    return rush_run.failures(outcome)


def postgres_version(env: dict) -> str:
    url = env["DATABASE_URL"]
    if not url.startswith(("postgres://", "postgresql://")):
        return "SQLite (smoke run)"
    import psycopg

    with psycopg.connect(url) as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


def machine() -> dict:
    info = {"cores": os.cpu_count(), "cpu": platform.processor() or platform.machine()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal"):
                info["memory_gib"] = int(line.split()[1]) / 1024 / 1024
                break
    except OSError:
        pass
    return info


def git_commit() -> str:
    def git(*args: str) -> str:
        completed = subprocess.run(  # noqa: S603
            ["git", *args],  # noqa: S607
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        return completed.stdout.strip()

    commit = git("rev-parse", "--short", "HEAD") or "unknown"
    if git("status", "--porcelain", "--untracked-files=no"):
        commit += " with uncommitted changes"
    return commit


if __name__ == "__main__":
    sys.exit(main())
