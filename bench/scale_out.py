"""Scale out, shown: two gunicorn instances behind nginx, on one database and one Redis,
against one instance with as many workers (``bench/run.py --scale-out``).

The README says the web processes keep nothing of their own (sessions in the database,
the catalogue's generation and the unread counts in Redis) and scale behind a load
balancer. This runs both arrangements on this machine, one after the other, with the same
citizens' sessions (opened through the first, used through the second):

- **one instance**: gunicorn with ``--workers`` workers, the load sent to it directly;
- **two instances**: two gunicorn with half as many workers each (one at least), behind
  nginx (Debian's ``nginx-light``, started here like the other processes, with its own
  configuration in the run's temporary folder), which spreads the requests between them.

Measured for the login POST and a few pages, at each level: requests a second, p95, and
the CPU the web tier used (gunicorn, and nginx for the second), so that the throughput
per core used compares the two on a machine whose other programs make absolute rates
move. On one machine, two instances cannot serve more than its cores: what this shows is
that the second arrangement costs no more per request than the first (nginx's share
apart), which is what adding machines behind a balancer relies on.
"""

import asyncio
import os
import shutil
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

from bench import cpu, load, sections, stack

START = "<!-- scale-out: written by bench/run.py --scale-out -->"
END = "<!-- /scale-out -->"
PAGES = ("connexion", "base_a", "accueil", "demandes")


def nginx_path() -> str | None:
    return shutil.which("nginx") or next(
        (path for path in ("/usr/sbin/nginx",) if Path(path).exists()), None
    )


def nginx_config(port: int, upstreams: list[int], folder: Path) -> str:
    """A balancer and nothing else: no access log, temporary files in the run's folder."""
    servers = "\n".join(f"    server 127.0.0.1:{upstream};" for upstream in upstreams)
    temp = "\n".join(
        f"  {kind}_temp_path {folder / ('nginx-' + kind)};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    return f"""worker_processes 1;
pid {folder / "nginx.pid"};
error_log {folder / "nginx-error.log"} warn;
events {{ worker_connections 1024; }}
http {{
  access_log off;
{temp}
  upstream portal {{
{servers}
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://portal;
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_read_timeout 120s;
    }}
  }}
}}
"""


def start_nginx(upstreams: list[int], folder: Path) -> tuple[subprocess.Popen, str]:
    """nginx in front of ``upstreams``, in the foreground, dying with the bench."""
    binary = nginx_path()
    if binary is None:
        raise SystemExit("nginx is missing: apt-get install nginx-light")
    port = stack.free_port()
    config = folder / "nginx.conf"
    config.write_text(nginx_config(port, upstreams, folder))
    process = subprocess.Popen(  # noqa: S603
        [binary, "-p", str(folder), "-c", str(config), "-e", str(folder / "nginx-error.log")]
        + ["-g", "daemon off;"],
        stdout=(folder / "nginx.log").open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
        preexec_fn=stack.die_with_parent,  # noqa: PLW1509 (no threads yet in the bench)
    )
    base_url = f"http://127.0.0.1:{port}"
    wait_for(base_url, process, folder / "nginx-error.log")
    return process, base_url


def wait_for(base_url: str, process: subprocess.Popen, log_file: Path) -> None:
    if not stack.wait_healthy(base_url, process, log_file):
        raise SystemExit(f"{base_url}/sante/ did not answer within 60 s")


stop = stack.stop_process


@dataclass
class Phase:
    arrangement: str
    users: int
    page: str
    rate: float
    p95: float
    errors: int
    cores: float  # CPU of the web tier (gunicorn, nginx), in cores, during the phase

    @property
    def per_core(self) -> float:
        return self.rate / self.cores if self.cores else 0.0


@dataclass
class ScaleOut:
    workers: int
    phases: list[Phase] = field(default_factory=list)


def measure(base_url: str, roots: list[int], page_key: str, users: int, duration, pool):
    """One phase; the CPU of the trees of ``roots`` (the web tier) over its length."""
    page = next(page for page in load.PAGES if page.key == page_key)
    before = sum(cpu.tree_ticks(root, cpu.processes()) for root in roots)
    started = time.monotonic()
    result = asyncio.run(load.run_phase(base_url, page, users, duration, pool, roots[0]))
    elapsed = time.monotonic() - started
    ticks = sum(cpu.tree_ticks(root, cpu.processes()) for root in roots) - before
    cores = ticks / os.sysconf("SC_CLK_TCK") / elapsed
    return result, cores


def run(args, env: dict, var_dir: Path, pool: load.Pool, start_server, log) -> ScaleOut:
    """Both arrangements, one after the other, at each of the run's levels."""
    outcome = ScaleOut(workers=args.workers)
    half = max(1, args.workers // 2)
    arrangements = [("une instance", [args.workers], False), ("deux instances", [half, half], True)]
    for name, workers, balanced in arrangements:
        servers, balancer = [], None
        try:
            for count in workers:
                servers.append(start_server(env, count, var_dir))
            base_url = servers[0][1]
            if balanced:
                ports = [int(url.rsplit(":", 1)[1]) for _server, url in servers]
                balancer, base_url = start_nginx(ports, var_dir)
            roots = [server.pid for server, _url in servers] + ([balancer.pid] if balancer else [])
            log(f"Scale-out: {name} ({' + '.join(map(str, workers))} workers) on {base_url}")
            asyncio.run(load.warm_up(base_url, pool, logins=2 * args.workers))
            for users in args.levels:
                for key in PAGES:
                    result, cores = measure(base_url, roots, key, users, args.duration, pool)
                    phase = Phase(
                        arrangement=name,
                        users=users,
                        page=result.page.label,
                        rate=result.rate,
                        p95=result.percentile(95),
                        errors=sum(result.errors.values()),
                        cores=cores,
                    )
                    outcome.phases.append(phase)
                    log(
                        f"  {name:<15} {users:>3} users  {phase.page:<40} {phase.rate:8.1f} "
                        f"req/s  p95 {phase.p95:7.1f} ms  {phase.cores:.2f} cores  "
                        f"{phase.per_core:7.1f} req/s per core  errors {phase.errors}"
                    )
        finally:
            stop(balancer)
            for server, _url in servers:
                stop(server)
    return outcome


def render(outcome: ScaleOut, *, commit: str, started: str, load_average: str) -> str:
    lines = [
        START,
        "## Scale-out: two gunicorn instances behind nginx",
        "",
        f"Run of {started} on commit `{commit}`; load average when it started {load_average}"
        " (a shared machine: the per-core figure is the one to compare). One instance: "
        f"gunicorn with {outcome.workers} workers, the load sent to it; two instances: "
        f"gunicorn with {max(1, outcome.workers // 2)} worker(s) each behind nginx, on the "
        "same database and Redis, the same citizens' sessions. « cores »: the CPU the web "
        "tier used during the phase (gunicorn, and nginx); « per core »: requests a second "
        "for each core it used. How to run it: bench/README.md.",
        "",
        "| Users | Page | one instance: req/s | p95 ms | cores | per core "
        "| two behind nginx: req/s | p95 ms | cores | per core | per core, two / one | errors |",
        "| ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    one = {(p.users, p.page): p for p in outcome.phases if p.arrangement == "une instance"}
    two = {(p.users, p.page): p for p in outcome.phases if p.arrangement == "deux instances"}
    for key, first in one.items():
        second = two.get(key)
        if second is None:
            continue
        ratio = second.per_core / first.per_core if first.per_core else 0.0
        lines.append(
            f"| {key[0]} | {key[1]} | {first.rate:.1f} | {first.p95:.0f} | {first.cores:.2f} "
            f"| {first.per_core:.1f} | {second.rate:.1f} | {second.p95:.0f} | "
            f"{second.cores:.2f} | {second.per_core:.1f} | {ratio:.2f} "
            f"| {first.errors + second.errors} |"
        )
    lines += ["", END, ""]
    return "\n".join(lines)


def kept(path: Path) -> str:
    """The scale-out section already in the file (a run without --scale-out keeps it)."""
    return sections.kept(path, START, END)


def splice(path: Path, section: str) -> None:
    sections.splice(path, START, END, section)
