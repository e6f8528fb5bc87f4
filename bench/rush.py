"""The morning school registrations open: each virtual parent goes through a whole journey,
then starts the next one with another parent, until the time is up (a closed loop).

Home page, « Connexion », « Services en ligne », the form of « Inscription scolaire »
(the child picked among the household's children, the first school and level offered),
the draft posted, « Récapitulatif », « Envoyer ma demande », the confirmation, the PDF.
Every step is timed on its own; a journey counts when its last step answered.
"""

import asyncio
import html
import os
import re
import time
from dataclasses import dataclass, field

from bench import cpu
from bench.load import LOGIN_URL, Client, Pool, Response, cookie_header

PROCEDURE = "inscription-scolaire"
FORM_URL = f"/services-en-ligne/demarche/{PROCEDURE}/"
STEPS = (
    ("accueil", "Accueil (anonyme)"),
    ("connexion", "Connexion (POST)"),
    ("services", "Services en ligne"),
    ("formulaire", "Formulaire « Inscription scolaire »"),
    ("brouillon", "Formulaire envoyé (brouillon enregistré)"),
    ("recapitulatif", "Récapitulatif"),
    ("envoi", "Envoyer ma demande (POST)"),
    ("confirmation", "Confirmation"),
    ("pdf", "PDF de la demande"),
)
SELECT = re.compile(r'<select name="([^"]+)"[^>]*>(.*?)</select>', re.S)
OPTION = re.compile(r'<option value="([^"]+)"')
RADIO = re.compile(r'<input type="radio" name="([^"]+)" value="([^"]*)"')
SENT = re.compile(r"/demandes/(\d+)/confirmation/$")
PDF_ATTEMPTS = 10


class JourneyError(Exception):
    """A step answered something else than expected: (step, what)."""


@dataclass
class RushResult:
    users: int
    latencies: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k, _ in STEPS})
    errors: dict[str, int] = field(default_factory=dict)
    sent: list[int] = field(default_factory=list)  # pks of the requests sent, one per journey
    journeys: int = 0
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    cpu_seconds: dict[str, float] = field(default_factory=dict)
    pdf_pending: int = 0  # answers « en préparation » (202) before the PDF itself
    cores: int = 1

    @property
    def cpu_per_journey(self) -> dict[str, float]:
        """CPU seconds per complete journey, per process and in all."""
        if not self.journeys or not self.cpu_seconds:
            return {}
        per = {part: used / self.journeys for part, used in self.cpu_seconds.items()}
        return {**per, "total": sum(per.values())}

    @property
    def capacity(self) -> float:
        """Journeys per second the machine's cores would give at the measured CPU cost."""
        total = self.cpu_per_journey.get("total", 0.0)
        return self.cores / total if total else 0.0

    @property
    def rate(self) -> float:
        return self.journeys / self.elapsed if self.elapsed else 0.0

    def percentile(self, step: str, p: float) -> float:
        ordered = sorted(self.latencies[step])
        if not ordered:
            return float("nan")
        rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
        return ordered[rank] * 1000


def form_data(page: str, csrf: str) -> dict:
    """What a parent fills: the first choice of every list and every set of radio buttons
    (the first child, the first school), a date, a comment; no document (on paper)."""
    data = {"csrfmiddlewaretoken": csrf}
    for name, options in SELECT.findall(page):
        values = [value for value in OPTION.findall(options) if value]
        if not values:
            raise JourneyError("formulaire", f"nothing to choose in « {name} »")
        data[name] = values[0]
    for name, value in RADIO.findall(page):
        data.setdefault(name, value)
    if "member" not in data:
        raise JourneyError("formulaire", "no child to choose")
    data = {name: html.unescape(value) for name, value in data.items()}
    data.update(f_date_entree="2027-09-01", f_commentaire="Inscription du banc d'essai.")
    return data


async def step(result: RushResult, key: str, call, expect: int) -> Response:
    started = time.perf_counter()
    response = await call
    took = time.perf_counter() - started
    if response.status != expect:
        raise JourneyError(key, f"HTTP {response.status}")
    result.latencies[key].append(took)
    return response


async def journey(client: Client, pool: Pool, result: RushResult) -> None:
    parent = pool.citizen()
    home = await step(result, "accueil", client.get("/"), 200)
    csrf = home.cookies["csrftoken"]
    credentials = {"username": parent["identifier"], "password": pool.password}
    login = await step(
        result,
        "connexion",
        client.post_form(
            LOGIN_URL,
            {**credentials, "csrfmiddlewaretoken": csrf},
            cookie_header({"csrftoken": csrf}),
        ),
        302,
    )
    csrf = login.cookies.get("csrftoken", csrf)
    cookie = cookie_header({"sessionid": login.cookies["sessionid"], "csrftoken": csrf})
    await step(result, "services", client.get("/services-en-ligne/", cookie), 200)
    form = await step(result, "formulaire", client.get(FORM_URL, cookie), 200)
    data = form_data(form.body.decode(), csrf)
    draft = await step(result, "brouillon", client.post_form(FORM_URL, data, cookie), 302)
    summary = draft.header("location")
    await step(result, "recapitulatif", client.get(summary, cookie), 200)
    sent = await step(
        result,
        "envoi",
        client.post_form(summary, {"csrfmiddlewaretoken": csrf}, cookie),
        302,
    )
    confirmation = sent.header("location")
    match = SENT.search(confirmation)
    if not match:
        raise JourneyError("envoi", f"sent to {confirmation!r}")
    await step(result, "confirmation", client.get(confirmation, cookie), 200)
    pdf = await pdf_download(client, result, f"/demandes/{match[1]}/pdf/", cookie)
    if not pdf.header("content-type").startswith("application/pdf"):
        raise JourneyError("pdf", pdf.header("content-type"))
    result.sent.append(int(match[1]))
    result.journeys += 1


async def pdf_download(client: Client, result: RushResult, url: str, cookie: str) -> Response:
    """The PDF, or while the worker builds it the page « en préparation » (202): the parent
    clicks its link again after the time it asks (Retry-After), as a person would."""
    for _attempt in range(PDF_ATTEMPTS):
        started = time.perf_counter()
        response = await client.get(url, cookie)
        took = time.perf_counter() - started
        if response.status == 200:
            result.latencies["pdf"].append(took)
            return response
        if response.status != 202:
            raise JourneyError("pdf", f"HTTP {response.status}")
        result.pdf_pending += 1
        await asyncio.sleep(float(response.header("retry-after") or 1))
    raise JourneyError("pdf", f"still in preparation after {PDF_ATTEMPTS} tries")


async def parent_loop(client: Client, pool: Pool, result: RushResult, deadline: float):
    while time.monotonic() < deadline:
        try:
            await journey(client, pool, result)
        except JourneyError as error:
            where, what = error.args
            result.errors[f"{where}: {what}"] = result.errors.get(f"{where}: {what}", 0) + 1
        except (OSError, TimeoutError, ValueError, KeyError) as error:
            name = f"{type(error).__name__}"
            result.errors[name] = result.errors.get(name, 0) + 1


async def run_level(base_url: str, users: int, duration: float, pool: Pool, pids: dict):
    result = RushResult(users=users)
    client = Client.of(base_url)
    before = cpu.snapshot(pids["web"], worker_pid=pids.get("worker"), database=pids.get("database"))
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(*(parent_loop(client, pool, result, deadline) for _ in range(users)))
    result.elapsed = time.monotonic() - started
    after = cpu.snapshot(pids["web"], worker_pid=pids.get("worker"), database=pids.get("database"))
    result.cpu = cpu.shares(before, after)
    result.cpu_seconds = cpu.seconds(before, after)
    result.cores = os.cpu_count() or 1
    return result
