"""bench/RESULTS.md: the machine, the data, one table per concurrency level, the queries
per page, and the issue's targets marked met or missed.

The « Findings » section between its two markers is written by hand (what profiling
found, what was fixed) and carried over from the previous report by each run.
"""

import math
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from bench.load import HTML_PAGES, NEWER, PAGES, Result

FINDINGS_START = "<!-- findings: kept by bench/run.py from one run to the next -->"
FINDINGS_END = "<!-- /findings -->"
# The newer pages' measurements written by hand (issue 29, item 5), kept like the findings.
NEWER_FINDINGS_START = "<!-- newer pages: written by hand, kept by bench/run.py -->"
NEWER_FINDINGS_END = "<!-- /newer pages -->"
TARGET_USERS = 8
TARGET_HOUSEHOLDS = 100_000
# Issue 29's: every page at least this share of baseline (a) at every level, and this p95
# at the highest level.
HTML_RATIO = 0.55
HTML_P95_MS = 120
PDF_P95_MS = 250
SEED_SECONDS = 300


@dataclass
class Context:
    args: object
    database_url: str
    counts: dict
    seeding: dict
    queries: dict
    results: list[Result]
    postgres: str
    started: datetime
    machine: dict
    commit: str
    python: str
    cache: str = ""


def write(path: Path, context: Context) -> None:
    """The reading pages' report; the rush's and the scale-out's sections stay."""
    from bench import rush_report, scale_out, sections

    findings = kept_findings(path)
    rush_section, _findings = rush_report.kept(path)
    newer = sections.kept(path, NEWER_FINDINGS_START, NEWER_FINDINGS_END)
    kept_sections = "".join("\n" + s for s in (newer, rush_section, scale_out.kept(path)) if s)
    text = render(context, findings)
    path.write_text(text + kept_sections, encoding="utf-8")


def kept_findings(path: Path) -> str:
    if not path.exists():
        return "_Nothing written yet._"
    text = path.read_text(encoding="utf-8")
    if FINDINGS_START in text and FINDINGS_END in text:
        return text.split(FINDINGS_START, 1)[1].split(FINDINGS_END, 1)[0].strip()
    return "_Nothing written yet._"


def render(context: Context, findings: str) -> str:
    args = context.args
    parts = [
        "# Load benchmark: results",
        "",
        f"Run of {context.started:%Y-%m-%d %H:%M %Z} on commit `{context.commit}`, written by "
        f"`{'bench/run.py --smoke' if args.smoke else 'make bench'}` (bench/run.py). "
        "How to run it and what it measures: bench/README.md.",
        "",
        *setup(context),
        *targets(context),
    ]
    for users in args.levels:
        parts += level_table(context, users)
    parts += queries_table(context)
    parts += newer_pages(context)
    parts += ["## Findings", "", FINDINGS_START, findings, FINDINGS_END, ""]
    return "\n".join(parts)


def setup(context: Context) -> list[str]:
    args, machine, counts, seeding = context.args, context.machine, context.counts, context.seeding
    memory = machine.get("memory_gib")
    seed_line = "not measured (data already there, no earlier timing: run with --reseed)"
    if seeding.get("seconds") is not None:
        seed_line = f"{seeding['seconds']:.0f} s for {seeding['households']:,} households"
        if seeding.get("reused"):
            seed_line += f" (measured on {seeding.get('date', '?')}, data reused by this run)"
    return [
        "## Machine and setup",
        "",
        f"- Machine: {machine.get('cores')} cores ({machine.get('cpu')}), "
        + (f"{memory:.0f} GiB of memory." if memory else "memory unknown."),
        "- The load generator runs on the same machine: it competes with gunicorn and "
        "PostgreSQL for the cores. The « CPU » column says who used the machine during each "
        "phase, in percent of all its cores: the load generator / gunicorn / PostgreSQL / "
        "anything else running on the machine (other programs skew the numbers: they should "
        "stay near 0).",
        f"- PostgreSQL {context.postgres}, Python {context.python}, gunicorn with "
        f"{args.workers} sync workers (one per core), `DEBUG` off, sessions in the database "
        "(Django's default backend), persistent connections (`CONN_MAX_AGE=60`, as "
        "`.env.example`), static files collected and served by WhiteNoise, "
        + (
            f"the shared cache in Redis (`REDIS_URL={context.cache}`, emptied first, as "
            "docker-compose runs it)."
            if context.cache
            else "no Redis: the cache is each process's own memory."
        ),
        f"- Load: {', '.join(str(n) for n in args.levels)} concurrent users (asyncio streams, "
        f"closed loop: each user sends its next request when the answer came), "
        f"{args.duration:g} s per page and level. Citizens drawn at random log in through the "
        "login form; each request of a logged-in page then uses one of their sessions at "
        "random. The PDF is measured twice: a request whose PDF nobody asked for yet (built "
        "by WeasyPrint), and one already built (read from the cache). Each HTML page and the "
        f"built PDF are measured right after {args.reference_duration:g} s of baseline (a) at "
        "the same level, and « × (a) » is their throughput over that phase's: a virtual "
        "machine's speed drifts over a run, and a ratio to a baseline measured minutes "
        "earlier would count the drift as the page's.",
        f"- Data: {counts.get('households', 0):,} bench households, "
        f"{counts.get('members', 0):,} members, {counts.get('requests', 0):,} requests, "
        f"{counts.get('events', 0):,} request events, {counts.get('invoices', 0):,} invoices.",
        f"- Seed (`seed_demo --households {args.households}`): {seed_line}.",
        "",
    ]


def by_key(context: Context, users: int) -> dict[str, Result]:
    return {r.page.key: r for r in context.results if r.users == users}


def ms(value: float) -> str:
    return "–" if math.isnan(value) else f"{value:.0f}" if value >= 10 else f"{value:.1f}"


def query_cell(context: Context, key: str) -> str:
    counts = context.queries.get("pages", {}).get(key, {})
    if not counts:
        return "–"
    values = sorted(set(counts.values()))
    return str(values[0]) if len(values) == 1 else "–".join(str(v) for v in values)


def ratio(result: Result, base: Result | None) -> float | None:
    """Throughput over baseline (a)'s: the phase of (a) just before the page when there
    was one (load.COMPARED), else the level's own phase of (a)."""
    reference = result.reference or (base.rate if base else 0)
    return result.rate / reference if reference else None


def level_table(context: Context, users: int) -> list[str]:
    results = by_key(context, users)
    base = results.get("base_a")
    lines = [
        f"## {users} concurrent users",
        "",
        "| Page | req/s | p50 ms | p95 ms | p99 ms | (a) just before, req/s | × (a) "
        "| SQL queries | errors | CPU load / server / PostgreSQL / other |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for page in PAGES:
        result = results.get(page.key)
        if result is None:
            continue
        value = ratio(result, base) if page.kind != "journey" else None
        ratio_text = f"{value:.2f}" if value is not None else "–"
        reference = f"{result.reference:.0f}" if result.reference else "–"
        errors = sum(result.errors.values())
        error_text = str(errors) + (
            f" ({', '.join(f'{k}: {v}' for k, v in result.errors.items())})" if errors else ""
        )
        share = result.cpu
        cpu_text = (
            f"{share['load']:.0f} / {share['server']:.0f} / {share['postgres']:.0f} / "
            f"{share['other']:.0f} %"
            if share
            else "–"
        )
        lines.append(
            f"| {page.label} | {result.rate:.1f} | {ms(result.percentile(50))} "
            f"| {ms(result.percentile(95))} | {ms(result.percentile(99))} | {reference} "
            f"| {ratio_text} "
            f"| {query_cell(context, page.key)} | {error_text} | {cpu_text} |"
        )
    lines.append("")
    return lines


def queries_table(context: Context) -> list[str]:
    households = context.queries.get("households", {})
    pages = context.queries.get("pages", {})
    labels = {p.key: p.label for p in PAGES}
    names = {
        "léger": "light",
        "demandes": "most requests",
        "factures": "most invoices (last 3 months)",
    }
    order = [key for key in names if key in households]
    head = [
        f"{names[key]}: `{households[key]['identifier']}`, {households[key]['requests']} "
        f"requests, {households[key]['invoices']} invoices"
        for key in order
    ]
    lines = [
        "## SQL queries per page and household",
        "",
        "Counted in-process with Django's test client (`CaptureQueriesContext`) on the same "
        "database, before the load. A light household that still fills every list, then the "
        "household with the most requests and the one with the most invoices shown on "
        "« Paiements ». Each HTML page is opened once before it is counted, as a citizen's "
        "second page: the catalogue and the account's unread count then come from the cache "
        "(a first visit adds one query for the count, and the first visit after a change to "
        "the catalogue two or three). The PDF is counted when built, then read from the "
        "cache.",
        "",
        "| Page | " + " | ".join(head) + " |",
        "| --- |" + " ---: |" * len(order),
    ]
    for key, counts in pages.items():
        cells = " | ".join(str(counts.get(label, "–")) for label in order)
        lines.append(f"| {labels.get(key, key)} | {cells} |")
    lines.append("")
    return lines


WHO = {
    "rendez_vous": "a citizen; 4 queries anonymous, pinned by tests/test_query_counts.py",
    "ants": "the national search's hub token; tests/appointments/test_ants_search_engine.py",
    "statistiques": "the demo's superuser `admin`; tests/backoffice/test_statistics.py",
    "statistiques_service": "the demo's clerk `etatcivil` (« Service État civil »)",
    "payer_payfip": "bench households, each pays one school invoice; both sides' queries",
    "payer_carte": "bench households, each pays one music-school invoice",
}


def newer_pages(context: Context) -> list[str]:
    """Issue 29, item 5: the pages the portal gained since the bench began, at each level:
    their rate, p95, throughput over baseline (a)'s and their SQL queries."""
    levels = context.args.levels
    lines = [
        "## Appointments, statistics and payments (issue 29, item 5)",
        "",
        "The pages the portal gained since the bench began, from the tables above: a "
        "citizen's free-slots page of a bench agenda (four desks, half booked), the national "
        "search's `availableTimeSlots` over three months of the four bench agendas (thousands "
        "of free slots a call), « Statistiques » for the current month, and a payment through "
        "each régie's simulated backend timed from « Payer » to the outcome page saying the "
        "invoice is paid (bench/payment_journey.py; « req/s » is then journeys a second). "
        "« × (a) » is the rate over the level's baseline (a); the SQL queries are counted "
        "in-process (bench/features.py), a journey's over all its requests.",
        "",
        "| Page | who | "
        + " | ".join(f"{n} users: req/s, p95 ms, × (a)" for n in levels)
        + " | SQL queries |",
        "| --- | --- |" + " ---: |" * (len(levels) + 1),
    ]
    for page in PAGES:
        if page.key not in NEWER:
            continue
        cells = []
        for users in levels:
            results = by_key(context, users)
            result, base = results.get(page.key), results.get("base_a")
            if result is None:
                cells.append("–")
                continue
            value = ratio(result, base) if page.kind != "journey" else None
            times = f"{value:.2f}" if value is not None else "–"
            cells.append(f"{result.rate:.1f}, {ms(result.percentile(95))}, {times}")
        lines.append(
            f"| {page.label} | {WHO[page.key]} | {' | '.join(cells)} "
            f"| {query_cell(context, page.key)} |"
        )
    lines.append("")
    return lines


def every_page(target: str, values: dict, *, passes, show: str, worst) -> tuple:
    """A target row over every HTML page: the worst value, and the pages that miss it."""
    word, pick, beyond = worst
    misses = [f"{page} {show.format(value)}" for page, value in values.items() if not passes(value)]
    page = pick(values, key=values.get)
    measured = f"{word}: {page} {show.format(values[page])}"
    return (target, measured + (f"; {beyond}: {', '.join(misses)}" if misses else ""), not misses)


def targets(context: Context) -> list[str]:
    args = context.args
    users = TARGET_USERS if TARGET_USERS in args.levels else args.levels[0]
    results = by_key(context, users)
    rows = []

    for level in args.levels:
        at_level = by_key(context, level)
        level_base = at_level.get("base_a")
        html = [at_level[key] for key in HTML_PAGES if key in at_level]
        if level_base and level_base.rate and html:
            rows.append(
                every_page(
                    f"every HTML page ≥ {HTML_RATIO} × baseline (a)'s throughput at {level} users",
                    {r.page.label: ratio(r, level_base) for r in html},
                    passes=lambda value: value >= HTML_RATIO,
                    show="{:.2f}",
                    worst=("lowest", min, "under"),
                )
            )
    highest = max(args.levels)
    html = [by_key(context, highest)[key] for key in HTML_PAGES if key in by_key(context, highest)]
    if html:
        p95 = {r.page.label: r.percentile(95) for r in html}
        rows.append(
            every_page(
                f"every HTML page p95 < {HTML_P95_MS} ms at {highest} users",
                p95,
                passes=lambda value: value < HTML_P95_MS,
                show="{:.0f} ms",
                worst=("highest", max, "over"),
            )
        )
    if "pdf_cache" in results:
        value = results["pdf_cache"].percentile(95)
        rows.append(
            (
                f"request PDF p95 < {PDF_P95_MS} ms at {users} users (the portal builds it after "
                "each change, procedures.tasks.build_request_pdf: the citizen reads it built)",
                f"{value:.0f} ms",
                value < PDF_P95_MS,
            )
        )
    if "pdf" in results:
        value = results["pdf"].percentile(95)
        rows.append(
            (
                "request PDF built on the citizen's click, when the worker has not built it "
                "yet (bulk-seeded data, a new PDF layout)",
                f"{value:.0f} ms",
                "info",
            )
        )
    seconds = context.seeding.get("seconds")
    seed_ok = None
    if seconds is not None and context.seeding.get("households") == TARGET_HOUSEHOLDS:
        seed_ok = seconds < SEED_SECONDS
    rows.append(
        (
            f"seed of {TARGET_HOUSEHOLDS:,} households < {SEED_SECONDS // 60} min",
            f"{seconds:.0f} s for {context.seeding.get('households'):,}" if seconds else "–",
            seed_ok,
        )
    )
    growing = [
        key
        for key, counts in context.queries.get("pages", {}).items()
        if len(set(counts.values())) > 1
    ]
    rows.append(
        (
            "no page's query count grows with the household's requests or invoices",
            "same count for every household" if not growing else f"varies: {', '.join(growing)}",
            not growing,
        )
    )
    marks = {True: "**met**", False: "**missed**", None: "not measured", "info": "for information"}
    lines = [
        "## Targets",
        "",
        (
            "Smoke run: tiny data and a few seconds, the marks mean nothing."
            if args.smoke
            else "The issue's targets on a 2-core machine."
        ),
        "",
        "| Target | Measured | |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {name} | {value} | {marks[ok]} |" for name, value, ok in rows]
    lines.append("")
    return lines
