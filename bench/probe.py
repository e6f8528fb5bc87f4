"""The benchmark's look inside Django, run by bench/run.py as ``python -m bench.probe CMD``.

- ``counts``: the size of the data set;
- ``sample N``: N bench citizens drawn at random, with their sent requests (for the PDFs);
- ``parents N``: bench citizens with a child, for the rush;
- ``rush_check PKS_FILE MAILS_FILE``: waits (a minute at most) until every request the
  rush sent has its acknowledgement mailed and its PDF built, then counts them;
- ``queries``: the SQL queries of every page, for a light household and the heaviest ones,
  measured in-process with the test client against the same database.

Each prints one JSON document on stdout. DJANGO_SETTINGS_MODULE is bench.settings.
"""

import json
import random
import sys

import django


def main(argv: list[str]) -> None:
    django.setup()
    command, *args = argv
    commands = {
        "counts": counts,
        "sample": sample,
        "queries": queries,
        "parents": parents,
        "rush_check": rush_check,
        "extras": extras,
    }
    result = commands[command](*args)
    json.dump(result, sys.stdout)


def counts() -> dict:
    from demo import bulk_seed

    return bulk_seed.counts()


def extras() -> dict:
    from bench import features

    return features.extras()


def sample(size: str, seed: str = "1") -> dict:
    """Random bench citizens, the pks of their sent requests (drafts have no PDF), and
    their password."""
    from accounts.models import User
    from demo.bulk_seed import (
        BENCH_PASSWORD,
        IDENTIFIER_RE,
        bench_identifier,
        existing_households,
    )
    from procedures.models import Request

    total = existing_households()
    rng = random.Random(int(seed))
    picked = [bench_identifier(n) for n in rng.sample(range(total), min(int(size), total))]
    accounts = dict(
        User.objects.filter(identifier__in=picked, identifier__regex=IDENTIFIER_RE).values_list(
            "pk", "identifier"
        )
    )
    sent: dict[int, list[int]] = {pk: [] for pk in accounts}
    for pk, account_id in (
        Request.objects.filter(account__in=accounts).submitted().values_list("pk", "account_id")
    ):
        sent[account_id].append(pk)
    citizens = [{"identifier": accounts[pk], "requests": sent[pk]} for pk in accounts]
    return {"password": BENCH_PASSWORD, "citizens": citizens}


def parents(size: str) -> dict:
    """Bench citizens of the sample whose household has a child (« Inscription scolaire »
    asks which one)."""
    from households.models import Member

    drawn = sample(size)
    identifiers = [c["identifier"] for c in drawn["citizens"]]
    members = Member.objects.filter(household__account__identifier__in=identifiers)
    with_child = {
        identifier
        for identifier, birth_date in members.values_list(
            "household__account__identifier", "birth_date"
        )
        if not Member(birth_date=birth_date).is_adult
    }
    citizens = [c for c in drawn["citizens"] if c["identifier"] in with_child]
    return {**drawn, "citizens": citizens}


def rush_check(pks_file: str, mails_file: str, wait: str = "60") -> dict:
    """One number, one acknowledgement mailed (outbox and sink) and one PDF per journey."""
    import time
    from collections import Counter
    from pathlib import Path

    from common.private_storage import private_storage
    from notifications.models import Message, MessageKind, MessageStatus
    from notifications.topics import request_topic
    from procedures.models import Request
    from procedures.pdf import pdf_folder, pdf_name

    pks = json.loads(Path(pks_file).read_text())
    started = time.monotonic()
    while True:
        requests = list(Request.objects.filter(pk__in=pks))
        acks = Message.objects.filter(
            kind=MessageKind.ACKNOWLEDGEMENT, topic__in=[request_topic(pk) for pk in pks]
        )
        sent_acks = Counter(acks.filter(status=MessageStatus.SENT).values_list("topic", flat=True))
        mails = Counter()
        for line in Path(mails_file).read_text(encoding="utf-8").splitlines():
            mails[json.loads(line)["subject"].rsplit("n° ", 1)[-1]] += 1
        pdfs = {}
        for request in requests:
            files = (
                private_storage.listdir(pdf_folder(request))[1]
                if private_storage.exists(pdf_folder(request))
                else []
            )
            current = pdf_name(request).rsplit("/", 1)[1]
            pdfs[request.pk] = (len(files), current in files)
        done = all(sent_acks[request_topic(r.pk)] >= 1 for r in requests) and all(
            built for _n, built in pdfs.values()
        )
        waited = time.monotonic() - started
        if done or waited > float(wait):
            break
        time.sleep(0.5)
    numbers = Counter(r.number for r in requests)
    return {
        "journeys": len(pks),
        "waited": waited,
        "done": done,
        "one_number": sum(
            1 for r in requests if r.number and numbers[r.number] == 1 and not r.is_draft
        ),
        "one_mail": sum(
            1
            for r in requests
            if sent_acks[request_topic(r.pk)] == 1 and mails[r.number or "?"] == 1
        ),
        "one_pdf": sum(1 for n, built in pdfs.values() if n == 1 and built),
    }


def pages(sent_pk: int | None) -> list[tuple[str, str | None]]:
    from django.urls import reverse

    return [
        ("base_a", reverse("bench_baseline:logged_in")),
        ("base_b", reverse("bench_baseline:bare")),
        ("accueil", reverse("home")),
        ("compte", reverse("households:account")),
        ("services", reverse("procedures:catalogue")),
        ("formulaire", reverse("procedures:start", args=["collecte-des-encombrants"])),
        ("stationnement", reverse("procedures:start", args=["permis-de-stationnement"])),
        ("demandes", reverse("procedures:request_list")),
        ("paiements", reverse("payments:index")),
        ("pdf", reverse("procedures:pdf", args=[sent_pk]) if sent_pk else None),
        ("pdf_cache", reverse("procedures:pdf", args=[sent_pk]) if sent_pk else None),
    ]


def households_to_probe() -> dict[str, dict]:
    """A light household that still fills every list, and the heaviest in requests and in
    invoices of the last 3 months (what the Paiements tab shows)."""
    from django.db.models import Count, Q

    from accounts.models import User
    from demo.bulk_seed import IDENTIFIER_RE
    from payments.selectors import shown_since
    from procedures.models import RequestState

    citizens = User.objects.filter(identifier__regex=IDENTIFIER_RE).annotate(
        sent=Count("requests", filter=~Q(requests__state=RequestState.DRAFT), distinct=True),
        drafts=Count("requests", filter=Q(requests__state=RequestState.DRAFT), distinct=True),
        invoices=Count(
            "household__invoices",
            filter=Q(household__invoices__issue_date__gte=shown_since()),
            distinct=True,
        ),
    )
    by_requests = citizens.order_by("-sent", "pk").first()
    by_invoices = citizens.order_by("-invoices", "pk").first()
    light = (
        citizens.filter(sent__gte=1, drafts__gte=1, invoices__gte=1).order_by("sent", "pk").first()
    )
    chosen = {"léger": light, "demandes": by_requests, "factures": by_invoices}
    return {
        label: {
            "identifier": user.identifier,
            "requests": user.sent + user.drafts,
            "invoices": user.invoices,
        }
        for label, user in chosen.items()
        if user is not None
    }


def queries() -> dict:
    """Queries per page and per household; the PDF twice: built, then from the cache."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from accounts.models import User
    from bench import features
    from demo.bulk_seed import BENCH_PASSWORD
    from procedures.models import Request

    result = {"households": households_to_probe(), "pages": {}}
    for label, household in result["households"].items():
        user = User.objects.get(identifier=household["identifier"])
        sent = Request.objects.for_account(user).submitted().order_by("pk").first()
        client = Client()
        client.force_login(user)
        for page, url in pages(sent.pk if sent else None):
            if url is None:
                continue  # a household without a sent request has no PDF to open
            if not page.startswith("pdf"):
                # Counted warm, as a citizen's second page: what every citizen shares
                # (the catalogue) and the account's unread count come from the cache.
                client.get(url)
            with CaptureQueriesContext(connection) as captured:
                response = client.get(url)
            if response.status_code != 200:
                raise RuntimeError(f"{url} answered {response.status_code} for {user}")
            result["pages"].setdefault(page, {})[label] = len(captured)
        anonymous = Client()
        anonymous.get("/")
        with CaptureQueriesContext(connection) as captured:
            response = anonymous.post(
                "/compte/connexion/", {"username": user.identifier, "password": BENCH_PASSWORD}
            )
        if response.status_code != 302:
            raise RuntimeError(f"login answered {response.status_code} for {user}")
        result["pages"].setdefault("connexion", {})[label] = len(captured)
        for page, count in features.page_queries(client).items():
            result["pages"].setdefault(page, {})[label] = count
    # The journeys pay an invoice: counted once, on households the load leaves out.
    for page, count in features.payment_queries().items():
        result["pages"][page] = dict.fromkeys(result["households"], count)
    return result


if __name__ == "__main__":
    main(sys.argv[1:])
