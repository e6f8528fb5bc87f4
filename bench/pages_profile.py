"""Where each page of the bench and the login spend their CPU, in one process: CPU
milliseconds per request and SQL queries, for the bench's own requests (bench/load.py's
pages, the households bench/probe.py picks), with the bench's settings and database;
``--profile PAGE`` adds pyinstrument's call tree of that page (cProfile's hot spots when
pyinstrument is missing: it is not a dependency, ``pip install pyinstrument``).

The figure is the fastest of several batches (``--batches``) of ``--requests`` requests:
the machine may be shared, and its neighbours only ever add time. Compare pages by
their ratio to baseline (a), the least a logged-in page costs, measured the same way.

    .venv/bin/python bench/pages_profile.py
    .venv/bin/python bench/pages_profile.py --profile accueil
    .venv/bin/python bench/pages_profile.py --database-url postgres://…/cp_bench
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

LOGIN = "connexion"


def parse_args(argv):
    from bench.run import DEFAULT_DATABASE_URL

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default=os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    )
    parser.add_argument("--requests", type=int, default=40, help="requests per batch")
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--household", default="léger", help="léger, demandes or factures")
    parser.add_argument("--pages", help="comma-separated page keys (all by default)")
    parser.add_argument("--profile", help="a page's key (accueil, connexion, …): its call tree")
    return parser.parse_args(argv)


def fastest_cpu_ms(call, requests: int, batches: int) -> float:
    """Each call returns the CPU seconds of what it measures."""
    return 1000 * min(sum(call() for _ in range(requests)) / requests for _ in range(batches))


def login_call(client, identifier: str, password: str):
    """A new visitor's login POST, as bench/load.py sends it: the home page first for
    the CSRF cookie (not measured), then the POST (measured)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.load import LOGIN_URL

    def call() -> float:
        client.cookies.clear()
        client.get("/")
        started = time.process_time()
        with CaptureQueriesContext(connection) as captured:
            response = client.post(LOGIN_URL, {"username": identifier, "password": password})
        spent = time.process_time() - started
        call.queries = len(captured)  # the POST's alone, not the home page's
        assert response.status_code == 302, response.status_code
        return spent

    return call


def page_call(client, url: str, **extra):
    def call() -> float:
        started = time.process_time()
        response = client.get(url, **extra)
        if response.streaming:
            b"".join(response.streaming_content)
        spent = time.process_time() - started
        assert response.status_code == 200, (url, response.status_code)
        return spent

    return call


def newer_calls(client) -> dict:
    """The GET pages the portal gained (bench/features.py); the payment journeys pay an
    invoice each, so they are not repeated here (bench/load.py times them)."""
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from bench import features

    hub = {"HTTP_X_HUB_RDV_AUTH_TOKEN": settings.ANTS_HUB_TOKEN}
    statistics = features.statistics_path()
    return {
        "rendez_vous": page_call(
            client, reverse("appointments:agenda", args=[features.agenda_slug()])
        ),
        "ants": page_call(Client(), features.ants_path(), **hub),
        "statistiques": page_call(features.staff_client("admin"), statistics),
        "statistiques_service": page_call(features.staff_client(features.CLERK), statistics),
    }


def profile(call, requests: int) -> str:
    try:
        from pyinstrument import Profiler
    except ImportError:
        profiler = cProfile.Profile()
        profiler.enable()
        for _ in range(requests):
            call()
        profiler.disable()
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(30)
        return out.getvalue()
    profiler = Profiler(interval=0.0002)
    profiler.start()
    for _ in range(requests):
        call()
    profiler.stop()
    return profiler.output_text(unicode=True, show_all=False)


def main(argv=None) -> int:
    args = parse_args(argv)
    from bench.rush_profile import setup

    setup(args.database_url)
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench import probe
    from demo.bulk_seed import BENCH_PASSWORD
    from procedures.models import Request

    household = probe.households_to_probe()[args.household]
    user = User.objects.get(identifier=household["identifier"])
    sent = Request.objects.for_account(user).submitted().order_by("pk").first()
    client = Client()
    client.force_login(user)
    calls = {
        key: page_call(client, url)
        for key, url in probe.pages(sent.pk)
        if key != "pdf"  # the first build happens once: see rush_profile.py --profile pdf
    }
    # One client per role: a new Client loads the middleware again (WhiteNoise's index).
    calls[LOGIN] = login_call(Client(), user.identifier, BENCH_PASSWORD)
    calls["accueil_anonyme"] = page_call(Client(), "/")
    calls.update(newer_calls(client))
    wanted = args.pages.split(",") if args.pages else list(calls)
    print(
        f"Household « {args.household} » ({household}); CPU ms per request, fastest of "
        f"{args.batches} batches of {args.requests}"
    )
    print("| Page | CPU ms | × baseline (a) CPU | queries |")
    print("| --- | ---: | ---: | ---: |")
    base = None
    for key in ["base_a", *[k for k in wanted if k != "base_a"]]:
        call = calls[key]
        call()  # warm: the catalogue, the unread count, compiled templates
        with CaptureQueriesContext(connection) as captured:
            call()
        # Now: the next request clears Django's query log.
        queries = getattr(call, "queries", len(captured))
        cpu = fastest_cpu_ms(call, args.requests, args.batches)
        base = base or cpu
        print(f"| {key} | {cpu:.2f} | {cpu / base:.2f} | {queries} |")
    if args.profile:
        print(profile(calls[args.profile], args.requests * 2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
