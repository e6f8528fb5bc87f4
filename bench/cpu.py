"""Who used the machine's CPU during a phase: the load generator, gunicorn, PostgreSQL and
the rest of the machine. Read from /proc (Linux); empty elsewhere."""

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


def children_of(pid: int) -> list[int]:
    return [child for child, _name, parent in processes() if parent == pid]


def postgres_pids() -> list[int]:
    return [pid for pid, name, _parent in processes() if name.startswith("postgres")]


def process_ticks(pid: int) -> int:
    """utime + stime of a process, in clock ticks (0 once it is gone)."""
    try:
        fields = (PROC / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0
    return int(fields[11]) + int(fields[12])


def machine_ticks() -> tuple[int, int]:
    """(busy, total) ticks of all CPUs since boot."""
    values = [int(v) for v in (PROC / "stat").read_text().splitlines()[0].split()[1:]]
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    total = sum(values[:8])
    return total - idle, total


def snapshot(server_pids: list[int]) -> dict:
    if not (PROC / "stat").exists():
        return {}
    own = os.times()
    busy, total = machine_ticks()
    return {
        "busy": busy,
        "total": total,
        "load": (own.user + own.system) * os.sysconf("SC_CLK_TCK"),
        "server": {pid: process_ticks(pid) for pid in server_pids},
        "postgres": {pid: process_ticks(pid) for pid in postgres_pids()},
    }


def shares(before: dict, after: dict) -> dict[str, float]:
    """Percent of the whole machine (all cores) used by each part between two snapshots."""
    if not before or not after:
        return {}
    total = after["total"] - before["total"]
    if total <= 0:
        return {}
    server, postgres = used(before, after, "server"), used(before, after, "postgres")
    busy = after["busy"] - before["busy"]
    load = after["load"] - before["load"]
    return {
        "load": 100 * load / total,
        "server": 100 * server / total,
        "postgres": 100 * postgres / total,
        "other": 100 * max(0, busy - load - server - postgres) / total,
        "idle": 100 * (total - busy) / total,
    }


def used(before: dict, after: dict, part: str) -> int:
    """Ticks used by a part's processes: all of a process's ticks when it started during the
    phase (persistent connections are reopened every CONN_MAX_AGE); a process that ended
    during the phase is lost to « other »."""
    return sum(ticks - before[part].get(pid, 0) for pid, ticks in after[part].items())
