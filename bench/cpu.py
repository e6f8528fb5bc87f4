"""Who used the machine's CPU during a phase: the load generator, gunicorn, PostgreSQL, the
Celery worker (the rush) and the rest of the machine. Read from /proc (Linux); empty elsewhere."""

import os
from pathlib import Path

PROC = Path("/proc")


def processes() -> list[tuple[int, str, int]]:
    """(pid, command name, parent pid) of every process."""
    found = []
    for entry in PROC.iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        name = stat[stat.index("(") + 1 : stat.rindex(")")]
        found.append((int(entry.name), name, int(stat.rsplit(")", 1)[1].split()[1])))
    return found


def process_ticks(pid: int, *, reaped: bool = False) -> int:
    """utime + stime of a process in clock ticks, plus its reaped children's with ``reaped``
    (0 once it is gone)."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    ticks = int(fields[11]) + int(fields[12])
    return ticks + (int(fields[13]) + int(fields[14]) if reaped else 0)


def tree_ticks(root: int | None, everything) -> int:
    """A server's CPU: its own, its live children's, and its exited children's (counted in
    its cutime/cstime once reaped), so that a worker or a backend that ends in the middle
    of a phase still counts."""
    if root is None:
        return 0
    children = [pid for pid, _name, parent in everything if parent == root]
    return process_ticks(root, reaped=True) + sum(process_ticks(pid) for pid in children)


def postmaster(everything) -> int | None:
    names = {pid: name for pid, name, _parent in everything}
    for pid, name, parent in everything:
        if name.startswith("postgres") and not names.get(parent, "").startswith("postgres"):
            return pid
    return None


def backend_ticks(everything, database: str) -> dict[int, int]:
    """CPU ticks of each live PostgreSQL backend serving ``database`` (its title reads
    ``postgres: [CLUSTER:] USER DATABASE …``): on a machine shared with other projects'
    databases, the postmaster's whole tree would bill their queries to the bench."""
    master = postmaster(everything)
    found = {}
    for pid, _name, parent in everything:
        if parent != master:
            continue
        try:
            title = (PROC / str(pid) / "cmdline").read_bytes().replace(b"\0", b" ").split()
        except OSError:
            continue
        # « postgres: [CLUSTER:] USER DATABASE HOST ACTIVITY »
        if title[:1] == [b"postgres:"] and database.encode() in title[2:4]:
            found[pid] = process_ticks(pid)
    return found


def machine_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all CPUs since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return total - idle, total


def snapshot(
    server_pid: int, *, worker_pid: int | list[int] | None = None, database: str | None = None
) -> dict:
    if not (PROC / "stat").exists():
        return {}
    own = os.times()
    busy, total = machine_ticks()
    everything = processes()
    return {
        "busy": busy,
        "total": total,
        "load": (own.user + own.system) * os.sysconf("SC_CLK_TCK"),
        "server": tree_ticks(server_pid, everything),
        "postgres": tree_ticks(postmaster(everything), everything),
        "worker": sum(
            tree_ticks(pid, everything)
            for pid in (worker_pid if isinstance(worker_pid, list) else [worker_pid])
        ),
        "backends": backend_ticks(everything, database) if database else {},
    }


def database_ticks(before: dict, after: dict) -> int:
    """The bench database's backends between two snapshots: a backend opened in between
    counts from zero; one closed in between is lost (the bench's connections persist)."""
    old = before.get("backends", {})
    return sum(ticks - old.get(pid, 0) for pid, ticks in after.get("backends", {}).items())


def shares(before: dict, after: dict) -> dict[str, float]:
    """Percent of the whole machine (all cores) used by each part between two snapshots."""
    if not before or not after:
        return {}
    total = after["total"] - before["total"]
    if total <= 0:
        return {}
    server = after["server"] - before["server"]
    postgres = after["postgres"] - before["postgres"]
    if after.get("backends"):
        # The others' databases go to « other », as their programs do.
        postgres = database_ticks(before, after)
    busy = after["busy"] - before["busy"]
    load = after["load"] - before["load"]
    worker = after.get("worker", 0) - before.get("worker", 0)
    return {
        "load": 100 * load / total,
        "server": 100 * server / total,
        "postgres": 100 * postgres / total,
        "worker": 100 * worker / total,
        "other": 100 * max(0, busy - load - server - postgres - worker) / total,
        "idle": 100 * (total - busy) / total,
    }


def seconds(before: dict, after: dict) -> dict[str, float]:
    """CPU seconds used by each part between two snapshots: what a journey costs, which
    the machine's other programs disturb less than the shares (they slow, not bill, us)."""
    if not before or not after:
        return {}
    tick = os.sysconf("SC_CLK_TCK")
    parts = ("load", "server", "worker", "postgres")
    used = {part: (after.get(part, 0) - before.get(part, 0)) / tick for part in parts}
    if after.get("backends"):
        used["postgres"] = database_ticks(before, after) / tick
    return used
