"""The rush's section of bench/RESULTS.md, between markers, so that a run of the reading
pages alone keeps it and a run of the rush alone (``--rush-only``) replaces only it. Its
« Findings » are written by hand and kept from one run to the next."""

from pathlib import Path

from bench import sections
from bench.rush import STEPS
from bench.rush_run import RushRun

START = "<!-- rush: written by bench/run.py -->"
END = "<!-- /rush -->"
FINDINGS_START = "<!-- rush findings: kept by bench/run.py from one run to the next -->"
FINDINGS_END = "<!-- /rush findings -->"
STEP_P95_TARGET = 300  # ms, every step at 32 parents
JOURNEYS_TARGET = 8.0  # per second at 32 parents (issue 29)
LOGINS_TARGET = 70.0  # per second at 32 users (issue 29)
JOURNEY_CPU_TARGET = 0.2  # seconds of CPU a journey, every process (issue 29)


def ms(value: float) -> str:
    return "–" if value != value else (f"{value:.0f}" if value >= 10 else f"{value:.1f}")


def kept(path: Path) -> tuple[str, str]:
    """(the rush section, its findings) already in the file."""
    text = path.read_text(encoding="utf-8") if path.exists() else ""
    section = text.split(START, 1)[1].split(END, 1)[0] if START in text and END in text else ""
    findings = "_Nothing written yet._"
    if FINDINGS_START in section and FINDINGS_END in section:
        findings = section.split(FINDINGS_START, 1)[1].split(FINDINGS_END, 1)[0].strip()
    return (f"{START}{section}{END}\n" if section else ""), findings


def splice(path: Path, section: str) -> None:
    """Put the rush's section in the file, in place of the one there or at its end."""
    sections.splice(path, START, END, section)


def at(outcome: RushRun, users: int):
    for index, level in enumerate(outcome.levels):
        if level.users == users:
            return index, level
    return None, None


def targets(outcome: RushRun, users: int = 32) -> list[str]:
    index, level = at(outcome, users)
    if level is None:
        return [f"_No level of {users} parents in this run: targets not judged._", ""]
    logins = outcome.logins[index].rate
    worst_key, worst_label = max(STEPS, key=lambda s: level.percentile(s[0], 95))
    worst = level.percentile(worst_key, 95)
    send = level.percentile("envoi", 95)
    check = outcome.check
    errors = sum(sum(lv.errors.values()) for lv in outcome.levels)
    rows = [
        (
            f"logins ≥ {LOGINS_TARGET:g}/s at {users} users",
            f"{logins:.1f}/s",
            logins >= LOGINS_TARGET,
        ),
        (
            f"sending p95 < {STEP_P95_TARGET} ms at {users}",
            f"{ms(send)} ms",
            send < STEP_P95_TARGET,
        ),
        (
            f"every step's p95 < {STEP_P95_TARGET} ms at {users}",
            f"highest: {worst_label} {ms(worst)} ms",
            worst < STEP_P95_TARGET,
        ),
        (
            f"≥ {JOURNEYS_TARGET:g} complete journeys/s at {users}",
            f"{level.rate:.1f}/s",
            level.rate >= JOURNEYS_TARGET,
        ),
        (
            f"CPU a journey cost at {users}, every process ≤ {JOURNEY_CPU_TARGET:g} s",
            f"{level.cores / level.capacity:.2f} s" if level.capacity else "–",
            bool(level.capacity) and level.cores / level.capacity <= JOURNEY_CPU_TARGET,
        ),
        ("zero errors (every level)", str(errors), errors == 0),
        (
            "mail and PDF of every journey done within a minute of the run's end",
            f"{check.get('waited', 0):.1f} s" + ("" if check.get("done") else " (not all done)"),
            bool(check.get("done")),
        ),
    ]
    lines = ["| Target | Measured | |", "| --- | --- | --- |"]
    lines += [f"| {t} | {m} | **{'met' if ok else 'missed'}** |" for t, m, ok in rows]
    return ["### Targets", "", *lines, ""]


def levels_table(outcome: RushRun) -> list[str]:
    lines = [
        "| Parents | journeys/s | logins/s (login alone) | errors | PDF « en préparation » "
        "| waiting for a lock | CPU load / web / worker / PostgreSQL / other |",
        "| ---: | ---: | ---: | ---: | ---: | --- | --- |",
    ]
    for level, logins, (waited, most) in zip(
        outcome.levels, outcome.logins, outcome.lock_waits, strict=True
    ):
        c = level.cpu
        parts = ("load", "server", "worker", "postgres", "other")
        share = " / ".join(f"{c[k]:.0f}" for k in parts) + " %" if c else "–"
        per = waited / len(level.sent) * 1000 if level.sent else 0.0
        errors = ", ".join(f"{k}: {v}" for k, v in level.errors.items()) or "0"
        lines.append(
            f"| {level.users} | {level.rate:.1f} | {logins.rate:.1f} | {errors} | "
            f"{level.pdf_pending} | {per:.1f} ms per request sent (at most {most} at once) | "
            f"{share} |"
        )
    return [*lines, ""]


def cpu_table(outcome: RushRun) -> list[str]:
    """CPU seconds per journey: the cost the neighbours of a shared machine disturb least."""
    lines = [
        "| Parents | web | worker | PostgreSQL | load tool | in all | journeys/s the cores "
        "would give at that cost |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for level in outcome.levels:
        per = level.cpu_per_journey
        if not per:
            lines.append(f"| {level.users} | – | – | – | – | – | – |")
            continue
        cells = " | ".join(
            f"{per[part] * 1000:.0f} ms" for part in ("server", "worker", "postgres", "load")
        )
        lines.append(
            f"| {level.users} | {cells} | {per['total'] * 1000:.0f} ms | "
            f"{level.capacity:.1f} ({level.cores} cores) |"
        )
    return [*lines, ""]


def steps_table(outcome: RushRun) -> list[str]:
    head = (
        "| Step | " + " | ".join(f"{lv.users}: p50 / p95 / p99 ms" for lv in outcome.levels) + " |"
    )
    lines = [head, "| --- |" + " ---: |" * len(outcome.levels)]
    for key, label in STEPS:
        cells = [
            " / ".join(ms(lv.percentile(key, p)) for p in (50, 95, 99)) for lv in outcome.levels
        ]
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def checks(outcome: RushRun) -> list[str]:
    c = outcome.check
    return [
        f"After the run (the {len(outcome.warm)} warm-up journeys included): "
        f"{c.get('journeys', 0)} journeys sent; exactly one request number: {c.get('one_number')}; "
        f"exactly one acknowledgement (outbox row sent and one mail at the SMTP sink): "
        f"{c.get('one_mail')}; exactly one PDF, of the request as it is: {c.get('one_pdf')}. "
        f"The worker had everything done {c.get('waited', 0):.1f} s after the last level ended.",
        "",
    ]


def render(outcome: RushRun, *, commit: str, machine: dict, args, findings: str) -> str:
    one, five, fifteen = outcome.load_average
    worker = (
        f"one Celery worker (`--concurrency 2`, as docker-compose.yml) on the Redis broker "
        f"`{outcome.broker}`"
        if outcome.broker
        else "no broker answering: Celery ran the tasks in the web process (smoke run)"
    )
    parts = [
        START,
        "## Rush: the morning school registrations open",
        "",
        f"Run of {outcome.started:%Y-%m-%d %H:%M %Z} on commit `{commit}`, "
        f"{machine.get('cores')} cores ({machine.get('cpu')}); load average when it started "
        f"{one:.2f} / {five:.2f} / {fifteen:.2f} (a shared machine: other programs show in "
        "« other »).",
        "",
        "Each parent: the home page, « Connexion », « Services en ligne », the form of "
        "« Inscription scolaire », the form posted (the draft), « Récapitulatif », « Envoyer "
        "ma demande », the confirmation and the PDF; then the next parent (closed loop, "
        f"{args.duration:g} s per level). gunicorn with {args.workers} sync workers, {worker}, "
        "the acknowledgement mailed to a local SMTP sink (bench/smtp_sink.py), the PDF built by "
        "the worker after the sending (while it builds it, the page « en préparation » answers "
        "and the parent clicks again after its Retry-After). Before each level, the login "
        "POST alone for "
        f"{args.reference_duration:g} s at the same concurrency. Lock waits: backends of the "
        "bench's database waiting for a lock, sampled every 20 ms (bench/locks.py). Data: "
        f"`seed_demo --households {args.households}`, parents drawn among its households "
        "with a child.",
        "",
        *targets(outcome),
        "### Levels",
        "",
        *levels_table(outcome),
        "### CPU per journey",
        "",
        *cpu_table(outcome),
        "### Each step",
        "",
        *steps_table(outcome),
        "### Checks",
        "",
        *checks(outcome),
        "### Findings",
        "",
        FINDINGS_START,
        findings,
        FINDINGS_END,
        END,
        "",
    ]
    return "\n".join(parts)
