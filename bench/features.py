"""The probe's side of the pages added as the portal grew (issue 29, item 5): what the load
needs to reach them, and their SQL queries counted in-process.

- a citizen's free-slots page of a bench agenda (demo/bulk_bookings.py);
- the national search's ``availableTimeSlots`` over three months of the four bench
  agendas, with the hub's token (``ANTS_HUB_TOKEN``, set by bench/run.py);
- « Statistiques » in the admin for the current month, for the superuser and for a
  service's clerk of the demo: their sessions are opened here with the second factor
  marked as given (the bench measures the page, not the TOTP form);
- a payment through each régie's backend, from « Payer » to the invoices paid: the
  simulated PayFiP (eopayment's real PayFiP client, SOAP included) and the simulated card
  page. Each journey pays one household's invoice of that régie; households are drawn
  once, so that two journeys never share a basket.

Runs inside ``python -m bench.probe`` (Django set up, bench.settings).
"""

import random
from datetime import timedelta
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

ANTS_DAYS = 91  # three months, as the national search asks
CLERK = "etatcivil"  # the demo's « Service État civil »: its requests' figures
PAYABLE_CAP = 1500  # households per régie handed to the load (each pays once)
# The backends' pages and the button a citizen presses on each.
OUTCOMES = {"payfip-simule/paiement": "payer", "carte-simulee": "accept"}


def agenda_slug() -> str:
    from demo.bulk_bookings import bench_agendas

    return bench_agendas().values_list("slug", flat=True).first()


def ants_path() -> str:
    from demo.bulk_bookings import bench_agendas

    places = list(bench_agendas().values_list("place_id", flat=True))
    first = timezone.localdate() + timedelta(days=1)
    query = [
        ("start_date", first.isoformat()),
        ("end_date", (first + timedelta(days=ANTS_DAYS)).isoformat()),
        ("reason", "CNI"),
        ("documents_number", "1"),
        *[("meeting_point_ids", str(pk)) for pk in places],
    ]
    return reverse("ants:available_time_slots") + "?" + urlencode(query)


def staff_client(identifier: str) -> Client:
    """A staff member's session as the admin's login and second factor leave it."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from accounts.models import User

    user = User.objects.get(identifier=identifier)
    client = Client()
    client.force_login(user)
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    if device is not None:
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client


def cookie_of(client: Client) -> str:
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return f"{settings.SESSION_COOKIE_NAME}={session}"


def statistics_path() -> str:
    return reverse("admin:statistics")


def regies() -> dict[str, int]:
    """The bench's two régies: the one on the simulated PayFiP and the simulated card's."""
    from payments.models import Provider, Regie

    found = {}
    for key, backend in (("payfip", Provider.PAYFIP_SIMULATED), ("carte", Provider.SIMULATED)):
        pk = Regie.objects.filter(backend=backend).order_by("pk").values_list("pk", flat=True)
        if pk.first() is not None:
            found[key] = pk.first()
    return found


def payable(regie: int, cap: int, rng: random.Random) -> list[tuple[int, int]]:
    """(account, invoice) pairs: one invoice to pay of the régie per bench household, for
    households with no basket yet (a run pays some: the next run draws others)."""
    from demo.bulk_seed import IDENTIFIER_RE
    from payments.models import Invoice, InvoiceState
    from payments.selectors import shown_since

    invoices = (
        Invoice.objects.filter(
            regie=regie,
            state=InvoiceState.TO_PAY,
            issue_date__gte=shown_since(),
            household__account__identifier__regex=IDENTIFIER_RE,
            household__baskets__isnull=True,
        )
        .order_by("household", "pk")
        .values_list("household__account", "pk")
    )
    first_of = {}
    for account, invoice in invoices:
        first_of.setdefault(account, invoice)
    pairs = sorted(first_of.items())
    return rng.sample(pairs, min(cap, len(pairs)))


def journeys(cap: int = PAYABLE_CAP) -> dict:
    """For each régie: its pk and the households' sessions with the invoice each pays."""
    from accounts.models import User

    rng = random.Random(11)
    found = {}
    for key, regie in regies().items():
        pairs = payable(regie, cap, rng)
        users = User.objects.in_bulk([account for account, _invoice in pairs])
        sessions = []
        for account, invoice in pairs:
            client = Client()
            client.force_login(users[account])
            sessions.append({"cookie": cookie_of(client), "invoice": invoice})
        found[key] = {"regie": regie, "sessions": sessions}
    return found


def extras() -> dict:
    """What bench/load.py needs for the newer pages and the payment journeys."""
    return {
        "agenda": agenda_slug(),
        "ants": ants_path(),
        "statistics": statistics_path(),
        "staff": {
            "superuser": cookie_of(staff_client("admin")),
            "clerk": cookie_of(staff_client(CLERK)),
        },
        "journeys": journeys(),
    }


# Queries, in-process ------------------------------------------------------------------


def counted(client: Client, method: str, url: str, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = getattr(client, method)(url, **extra)
    return len(captured), response


def page_queries(citizen_client: Client) -> dict[str, int]:
    """The GET pages, each opened once before it is counted (as the other pages)."""
    found = {}
    hub = {"HTTP_X_HUB_RDV_AUTH_TOKEN": settings.ANTS_HUB_TOKEN}
    targets = {
        "rendez_vous": (citizen_client, reverse("appointments:agenda", args=[agenda_slug()]), {}),
        "ants": (Client(), ants_path(), hub),
        "statistiques": (staff_client("admin"), statistics_path(), {}),
        "statistiques_service": (staff_client(CLERK), statistics_path(), {}),
    }
    for key, (client, url, extra) in targets.items():
        client.get(url, **extra)
        count, response = counted(client, "get", url, **extra)
        if response.status_code != 200:
            raise RuntimeError(f"{url} answered {response.status_code}")
        found[key] = count
    return found


def journey_queries(account_pk: int, invoice_pks: list[int], regie: int) -> int:
    """One payment from « Payer » to the outcome page, every request counted; the
    simulated PayFiP answers in this process (its SOAP calls and its notification too,
    through ``in_process_session``), so its queries count as the journey's."""
    from accounts.models import User
    from payments.models import Invoice, InvoiceState
    from payments.providers import eopayment_api

    client = Client()
    client.force_login(User.objects.get(pk=account_pk))
    for invoice in invoice_pks:
        client.post(reverse("payments:basket_add", args=[invoice]))
    eopayment_api.SESSION = in_process_session()
    total = 0
    try:
        count, response = counted(client, "post", reverse("payments:pay"), data={"regie": regie})
        total += count
        while response.status_code == 302:
            parts = urlsplit(response.headers["Location"])
            url = parts.path + (f"?{parts.query}" if parts.query else "")
            count, response = counted(client, "get", url)
            total += count
            outcome = next((v for k, v in OUTCOMES.items() if k in url), None)
            if outcome is not None and response.status_code == 200:
                count, response = counted(client, "post", url, data={"outcome": outcome})
                total += count
    finally:
        eopayment_api.SESSION = None
    paid = Invoice.objects.filter(pk__in=invoice_pks, state=InvoiceState.PAID).count()
    if response.status_code != 200 or paid != len(invoice_pks):
        raise RuntimeError(f"the journey left invoices {invoice_pks} unpaid")
    return total


def payment_queries() -> dict[str, int]:
    rng = random.Random(3)
    found = {}
    for key, regie in regies().items():
        pairs = payable(regie, 1, rng)
        if pairs:
            account, invoice = pairs[0]
            found[f"payer_{key}"] = journey_queries(account, [invoice], regie)
    return found


def in_process_session():
    """A requests session whose calls are answered by this Django site in-process: what
    eopayment's zeep transport and the simulated PayFiP's notification use in the probe."""
    import requests
    from requests.structures import CaseInsensitiveDict

    class Adapter(requests.adapters.BaseAdapter):
        client = Client()

        def send(self, request, **kwargs):
            url = urlsplit(request.url)
            body = request.body or b""
            answer = self.client.generic(
                request.method,
                url.path + (f"?{url.query}" if url.query else ""),
                data=body.encode() if isinstance(body, str) else body,
                content_type=request.headers.get("Content-Type", ""),
            )
            response = requests.Response()
            response.status_code = answer.status_code
            response._content = answer.content
            response.headers = CaseInsensitiveDict(dict(answer.items()))
            response.url, response.request, response.encoding = request.url, request, "utf-8"
            return response

        def close(self):
            pass

    session = requests.Session()
    session.mount("http://", Adapter())
    session.mount("https://", Adapter())
    return session
