"""The rush in the benchmark: its own server with the worker, the sink and the broker,
8, 32 and 64 parents (``--rush-users``), the checks after the run, its report section."""

import asyncio
import json
import os
import random
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from bench import load, rush, stack
from bench.locks import LockWaits

PARENTS = 5000


@dataclass
class RushRun:
    levels: list[rush.RushResult] = field(default_factory=list)
    logins: list[load.Result] = field(default_factory=list)
    lock_waits: list[tuple[float, int]] = field(default_factory=list)  # (s, most at once)
    check: dict = field(default_factory=dict)
    broker: str = ""
    started: datetime | None = None
    load_average: tuple[float, float, float] = (0.0, 0.0, 0.0)
    warm: list[int] = field(default_factory=list)


def run(args, env: dict, var_dir: Path, database_url: str, log) -> RushRun:
    from bench import run as runner

    outcome = RushRun(
        broker=args.redis_url_live,
        started=datetime.now().astimezone(),
        load_average=os.getloadavg(),
    )
    the_stack, rush_env = stack.start(env, var_dir, outcome.broker)
    server = None
    try:
        sample = runner.probe(env, "parents", str(PARENTS))
        if not sample["citizens"]:
            raise SystemExit("no bench household with a child: nothing to register")
        server, base_url = runner.start_server(rush_env, args.workers, var_dir)
        pids = {
            "web": server.pid,
            "worker": the_stack.worker_pids or None,
            "database": runner.database_name(database_url),
        }
        where = f"on {outcome.broker}" if outcome.broker else "in-process (no broker)"
        log(f"Rush: gunicorn on {base_url}, Celery worker {where}")
        pool = load.Pool(
            citizens=sample["citizens"], password=sample["password"], rng=random.Random(18)
        )
        warm = rush.RushResult(users=1)
        for _ in range(2 * args.workers):
            asyncio.run(rush.journey(load.Client.of(base_url), pool, warm))
        outcome.warm = warm.sent
        connexion = next(page for page in load.PAGES if page.kind == "login")
        postgres = database_url.startswith(("postgres://", "postgresql://"))
        for users in args.rush_levels:
            logins = asyncio.run(
                load.run_phase(
                    base_url, connexion, users, args.reference_duration, pool, server.pid
                )
            )
            outcome.logins.append(logins)
            if postgres:
                with LockWaits(database_url) as waits:
                    result = asyncio.run(rush.run_level(base_url, users, args.duration, pool, pids))
                outcome.lock_waits.append((waits.waiting_seconds, waits.most))
            else:
                result = asyncio.run(rush.run_level(base_url, users, args.duration, pool, pids))
                outcome.lock_waits.append((0.0, 0))
            outcome.levels.append(result)
            log(
                f"  rush {users:>3} parents  {result.rate:6.1f} journeys/s  "
                f"send p95 {result.percentile('envoi', 95):6.0f} ms  "
                f"errors {sum(result.errors.values())}  logins {logins.rate:.1f}/s"
            )
        pks = outcome.warm + [pk for level in outcome.levels for pk in level.sent]
        pks_file = var_dir / "rush-pks.json"
        pks_file.write_text(json.dumps(pks))
        log(f"Rush: checking {len(pks)} journeys (waiting for the worker, a minute at most) …")
        outcome.check = runner.probe(env, "rush_check", str(pks_file), str(the_stack.mail_journal))
        return outcome
    finally:
        if server is not None:
            runner.stop_server(server)
        the_stack.stop()


def failures(outcome: RushRun) -> list[str]:
    """What makes the run fail: an error, or a journey without its number, mail or PDF."""
    found = [f"{level.users} parents: {level.errors}" for level in outcome.levels if level.errors]
    check = outcome.check
    for what in ("one_number", "one_mail", "one_pdf"):
        if check.get(what) != check.get("journeys"):
            found.append(f"{what}: {check.get(what)} of {check.get('journeys')}")
    if not any(level.journeys for level in outcome.levels):
        found.append("no journey completed")
    return found
