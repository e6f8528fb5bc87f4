"""Where a parent's journey spends its time, step by step, in one process: wall and CPU
milliseconds, SQL queries, and with ``--profile STEP`` the functions that cost the most.

The rush (bench/rush.py) measures the journey through gunicorn under load; this looks
inside each step without the queueing, with Django's test client and the production-like
settings of the bench, against the bench's database (seed it with ``make bench`` or
``bench/run.py --rush-only`` first). Tasks run in this process (no broker), so the
acknowledgement's mail is counted in « envoi » and the PDF in « pdf » (PDF_PREBUILD off).

    .venv/bin/python bench/rush_profile.py --journeys 30
    .venv/bin/python bench/rush_profile.py --journeys 30 --profile connexion
"""

import argparse
import cProfile
import io
import os
import pstats
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args(argv):
    from bench.run import DEFAULT_DATABASE_URL

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_DATABASE_URL)
    parser.add_argument("--journeys", type=int, default=20)
    parser.add_argument("--profile", help="a step's key (accueil, connexion, …): its hot spots")
    parser.add_argument("--top", type=int, default=25, help="functions shown with --profile")
    parser.add_argument("--queries", help="a step's key: the SQL of its last run")
    return parser.parse_args(argv)


def setup(database_url: str) -> None:
    from bench.run import child_environment

    var_dir = Path(tempfile.mkdtemp(prefix="rush-profile-"))
    env = child_environment(database_url, var_dir)
    env.pop("PYTHONPATH", None)
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    call_command("collectstatic", "--no-input", verbosity=0)  # the manifest of {% static %}


class Steps:
    """Per step: wall and CPU seconds, queries; one cProfile for the step asked for."""

    def __init__(self, profiled: str | None):
        from bench.rush import STEPS

        self.rows = {key: {"wall": [], "cpu": [], "queries": []} for key, _ in STEPS}
        self.profiled = profiled
        self.profile = cProfile.Profile()
        self.last_queries: dict[str, list[str]] = {}

    def run(self, key: str, call):
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            wall, cpu = time.perf_counter(), time.process_time()
            if key == self.profiled:
                self.profile.enable()
            response = call()
            if key == self.profiled:
                self.profile.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        row = self.rows[key]
        row["wall"].append(wall)
        row["cpu"].append(cpu)
        row["queries"].append(len(captured))
        self.last_queries[key] = [query["sql"] for query in captured.captured_queries]
        return response


def journey(client, parent: dict, password: str, steps: Steps) -> None:
    from bench.load import LOGIN_URL
    from bench.rush import FORM_URL, SENT, form_data

    client.cookies.clear()
    steps.run("accueil", lambda: client.get("/"))
    login = steps.run(
        "connexion",
        lambda: client.post(LOGIN_URL, {"username": parent["identifier"], "password": password}),
    )
    assert login.status_code == 302, login.status_code
    steps.run("services", lambda: client.get("/services-en-ligne/"))
    form = steps.run("formulaire", lambda: client.get(FORM_URL))
    data = form_data(form.content.decode(), "unused")
    draft = steps.run("brouillon", lambda: client.post(FORM_URL, data))
    assert draft.status_code == 302, draft.content[:2000]
    summary = draft["Location"]
    steps.run("recapitulatif", lambda: client.get(summary))
    sent = steps.run("envoi", lambda: client.post(summary, {}))
    pk = SENT.search(sent["Location"])[1]
    steps.run("confirmation", lambda: client.get(sent["Location"]))
    pdf = steps.run("pdf", lambda: client.get(f"/demandes/{pk}/pdf/"))
    assert pdf.status_code == 200, pdf.status_code
    b"".join(pdf.streaming_content) if pdf.streaming else pdf.content


def report(steps: Steps, journeys: int) -> str:
    from bench.rush import STEPS

    lines = ["| Step | wall ms (median) | CPU ms (median) | CPU ms (mean) | queries |"]
    lines.append("| --- | ---: | ---: | ---: | ---: |")
    total = 0.0
    for key, label in STEPS:
        row = steps.rows[key]
        if not row["cpu"]:
            continue
        mean_cpu = 1000 * sum(row["cpu"]) / len(row["cpu"])
        total += mean_cpu
        median = sorted(row["wall"])[len(row["wall"]) // 2] * 1000
        median_cpu = sorted(row["cpu"])[len(row["cpu"]) // 2] * 1000
        queries = max(row["queries"])
        lines.append(f"| {label} | {median:.1f} | {median_cpu:.1f} | {mean_cpu:.1f} | {queries} |")
    lines.append(f"\n{journeys} journeys; CPU of one journey in this process: {total:.0f} ms")
    return "\n".join(lines)


def main(argv=None) -> int:
    args = parse_args(argv)
    setup(args.database_url)
    from django.test import Client

    from bench import probe

    drawn = probe.parents("2000")
    parents = drawn["citizens"]
    rng = random.Random(18)
    client = Client()
    steps = Steps(args.profile)
    journey(client, rng.choice(parents), drawn["password"], Steps(None))  # warm-up
    for _ in range(args.journeys):
        journey(client, rng.choice(parents), drawn["password"], steps)
    print(report(steps, args.journeys))
    if args.queries:
        for number, sql in enumerate(steps.last_queries.get(args.queries, []), 1):
            print(f"{number:>3}. {sql[:400]}")
    if args.profile:
        out = io.StringIO()
        pstats.Stats(steps.profile, stream=out).sort_stats("cumulative").print_stats(args.top)
        print(out.getvalue())
        out = io.StringIO()
        pstats.Stats(steps.profile, stream=out).sort_stats("tottime").print_stats(args.top)
        print(out.getvalue())
    return 0


if __name__ == "__main__":
    sys.exit(main())
