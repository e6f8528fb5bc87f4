"""The load: a fixed number of virtual users (asyncio tasks), each sending its next request
as soon as the previous answer came back (a closed loop), for a fixed time per page.

Citizens log in through the real login form (« Connexion », a POST with the CSRF token
taken from the home page's cookie); the sessions they get are then drawn at random for
every request of the other pages, so that each request is a random citizen's.

The HTTP client is a few lines on asyncio streams rather than httpx: on this 2-core
machine the load generator shares the CPU with the server, and httpx spent 4.7 ms of CPU
per request against 0.6 ms for these lines (measured on a one-line WSGI app), which
would have taken half of the server's CPU away at the baselines' rates.
"""

import asyncio
import random
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode, urlsplit

from bench import cpu, payment_journey

LOGIN_URL = "/compte/connexion/"


@dataclass(frozen=True)
class Page:
    key: str
    label: str
    url: str
    kind: str = "html"  # html, pdf, text, json, login, journey
    logged_in: bool = True
    who: str = "citizen"  # citizen, or a session of the extras: superuser, clerk, hub


PAGES = (
    Page("connexion", "Connexion (POST du formulaire)", LOGIN_URL, kind="login", logged_in=False),
    Page("base_b", "Référence (b) : vue nue, texte court", "/_banc/texte/", "text", False),
    Page("base_a", "Référence (a) : page connectée minimale", "/_banc/connecte/"),
    Page("accueil", "Accueil", "/"),
    Page("compte", "Compte", "/compte/"),
    Page("services", "Services en ligne", "/services-en-ligne/"),
    Page(
        "formulaire",
        "Formulaire « Collecte des encombrants »",
        "/services-en-ligne/demarche/collecte-des-encombrants/",
    ),
    Page(
        "stationnement",
        "Formulaire « Permis de stationnement » (étape 1 sur 3)",
        "/services-en-ligne/demarche/permis-de-stationnement/",
    ),
    Page("demandes", "Demandes", "/demandes/"),
    Page("paiements", "Paiements", "/paiements/"),
    Page("pdf", "PDF d'une demande (première fois)", "/demandes/{pk}/pdf/", kind="pdf"),
    Page("pdf_cache", "PDF d'une demande (déjà construit)", "/demandes/{pk}/pdf/", kind="pdf"),
    # The pages added as the portal grew (issue 29, item 5; bench/features.py).
    Page("rendez_vous", "Rendez-vous : créneaux libres d'un agenda", "/rendez-vous/{agenda}/"),
    Page(
        "ants",
        "Recherche nationale : availableTimeSlots (3 mois, 4 agendas de 4 guichets)",
        "{ants}",
        kind="json",
        who="hub",
    ),
    Page(
        "statistiques",
        "Statistiques (superutilisateur, mois en cours)",
        "{statistics}",
        who="superuser",
    ),  # fmt: skip
    Page(
        "statistiques_service",
        "Statistiques (agent d'un service, mois en cours)",
        "{statistics}",
        who="clerk",
    ),  # fmt: skip
    Page(
        "payer_payfip",
        "Paiement PayFiP simulé, de « Payer » à la facture payée",
        "payfip",
        kind="journey",
    ),  # fmt: skip
    Page(
        "payer_carte",
        "Paiement carte simulée, de « Payer » à la facture payée",
        "carte",
        kind="journey",
    ),  # fmt: skip
)
# The pages added as the portal grew (issue 29, item 5), in their own report section.
NEWER = (
    "rendez_vous",
    "ants",
    "statistiques",
    "statistiques_service",
    "payer_payfip",
    "payer_carte",
)
HTML_PAGES = ("accueil", "compte", "services", "formulaire", "demandes", "paiements")
# Pages whose throughput is compared with baseline (a): each is measured right after a
# short phase of baseline (a), its own reference. A virtual machine's speed drifts over
# a run (its neighbours on the host), and a ratio to one baseline measured minutes
# earlier would count that drift as the page's.
COMPARED = (*HTML_PAGES, "pdf_cache", "rendez_vous")
EXPECTED_TYPE = {
    "html": "text/html",
    "pdf": "application/pdf",
    "text": "text/plain",
    "json": "application/json",
}


@dataclass
class Session:
    identifier: str
    cookie: str
    requests: list[int]


@dataclass
class Pool:
    """Citizens to log in, the sessions they got, and which request PDFs were built."""

    citizens: list[dict]
    password: str
    rng: random.Random
    sessions: list[Session] = field(default_factory=list)
    built: list[tuple[Session, int]] = field(default_factory=list)
    unbuilt: dict[str, list[int]] = field(default_factory=dict)
    next_citizen: int = 0
    extras: dict = field(default_factory=dict)  # bench/features.py's: URLs, staff, journeys

    def __post_init__(self):
        self.rng.shuffle(self.citizens)

    def citizen(self) -> dict:
        """The next citizen not yet logged in (all of them again when every one was)."""
        citizen = self.citizens[self.next_citizen % len(self.citizens)]
        self.next_citizen += 1
        return citizen

    def session(self) -> Session:
        return self.rng.choice(self.sessions)

    def pdf_to_build(self) -> tuple[Session, int] | None:
        """A request whose PDF nobody asked for yet, of a random logged-in citizen."""
        for _ in range(50):
            session = self.session()
            left = self.unbuilt.get(session.identifier)
            if left:
                return session, left.pop(self.rng.randrange(len(left)))
        return None

    def pdf_built(self) -> tuple[Session, int] | None:
        return self.rng.choice(self.built) if self.built else None


@dataclass
class Result:
    page: Page
    users: int
    latencies: list[float] = field(default_factory=list)  # seconds, successful requests
    errors: dict[str, int] = field(default_factory=dict)
    bytes: int = 0
    elapsed: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)
    reference: float | None = None  # baseline (a)'s req/s just before, for COMPARED pages

    def error(self, what: str) -> None:
        self.errors[what] = self.errors.get(what, 0) + 1

    @property
    def count(self) -> int:
        return len(self.latencies)

    @property
    def rate(self) -> float:
        return self.count / self.elapsed if self.elapsed else 0.0

    def percentile(self, p: float) -> float:
        """Nearest-rank percentile, in milliseconds."""
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        rank = max(0, min(len(ordered) - 1, int(round(p / 100 * len(ordered) + 0.5)) - 1))
        return ordered[rank] * 1000


TIMEOUT = 60.0


class HTTPError(Exception):
    pass


@dataclass
class Response:
    status: int
    headers: list[tuple[str, str]]
    body: bytes

    def header(self, name: str) -> str:
        return next((v for k, v in self.headers if k == name), "")

    @property
    def cookies(self) -> dict[str, str]:
        found = {}
        for name, value in self.headers:
            if name == "set-cookie":
                key, _, rest = value.partition("=")
                found[key.strip()] = rest.split(";", 1)[0]
        return found


@dataclass(frozen=True)
class Client:
    """HTTP/1.1 with « Connection: close », as the sync gunicorn workers answer anyway."""

    host: str
    port: int

    @classmethod
    def of(cls, base_url: str) -> "Client":
        parts = urlsplit(base_url)
        return cls(parts.hostname, parts.port or 80)

    async def request(self, method: str, path: str, headers: dict, body: bytes = b""):
        lines = [f"{method} {path} HTTP/1.1", f"Host: {self.host}:{self.port}"]
        lines += [f"{name}: {value}" for name, value in headers.items()]
        if body:
            lines += [f"Content-Length: {len(body)}"]
        lines += ["Connection: close", "", ""]
        reader, writer = await asyncio.open_connection(self.host, self.port)
        try:
            writer.write("\r\n".join(lines).encode("latin-1") + body)
            raw = await asyncio.wait_for(reader.read(-1), TIMEOUT)
        finally:
            writer.close()
        return parse(raw)

    async def get(self, path: str, cookie: str = "") -> Response:
        return await self.request("GET", path, {"Cookie": cookie} if cookie else {})

    async def post_form(self, path: str, data: dict, cookie: str) -> Response:
        headers = {"Content-Type": "application/x-www-form-urlencoded", "Cookie": cookie}
        return await self.request("POST", path, headers, urlencode(data).encode())


def parse(raw: bytes) -> Response:
    head, separator, body = raw.partition(b"\r\n\r\n")
    if not separator:
        raise HTTPError("incomplete answer")
    status_line, *header_lines = head.decode("latin-1").split("\r\n")
    headers = []
    for line in header_lines:
        name, _, value = line.partition(":")
        headers.append((name.strip().lower(), value.strip()))
    response = Response(int(status_line.split()[1]), headers, body)
    if response.header("transfer-encoding") == "chunked":
        response.body = dechunk(body)
    return response


def dechunk(body: bytes) -> bytes:
    out, position = [], 0
    while True:
        end = body.index(b"\r\n", position)
        size = int(body[position:end].split(b";")[0], 16)
        if size == 0:
            return b"".join(out)
        out.append(body[end + 2 : end + 2 + size])
        position = end + 2 + size + 2


def cookie_header(cookies: dict[str, str]) -> str:
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


async def log_in(client: Client, pool: Pool, csrf: dict, result: Result | None) -> None:
    """One « Connexion »: the POST alone is timed; the session joins the pool."""
    citizen = pool.citizen()
    data = {
        "username": citizen["identifier"],
        "password": pool.password,
        "csrfmiddlewaretoken": csrf["csrftoken"],
    }
    started = time.perf_counter()
    response = await client.post_form(LOGIN_URL, data, cookie_header(csrf))
    took = time.perf_counter() - started
    got = response.cookies
    if response.status != 302 or "sessionid" not in got:
        if result is not None:
            result.error(f"HTTP {response.status}")
        return
    # The login gives a new CSRF token: the next login of this user posts it.
    csrf["csrftoken"] = got.get("csrftoken", csrf["csrftoken"])
    cookie = cookie_header({"sessionid": got["sessionid"], "csrftoken": csrf["csrftoken"]})
    session = Session(citizen["identifier"], cookie, citizen["requests"])
    pool.sessions.append(session)
    pool.unbuilt.setdefault(session.identifier, list(citizen["requests"]))
    if result is not None:
        result.latencies.append(took)
        result.bytes += len(response.body)


async def csrf_cookie(client: Client) -> dict[str, str]:
    """The anonymous home page sets the CSRF cookie that the login form posts back."""
    response = await client.get("/")
    if response.status != 200 or "csrftoken" not in response.cookies:
        raise HTTPError(f"no CSRF cookie from the home page (HTTP {response.status})")
    return {"csrftoken": response.cookies["csrftoken"]}


def target_of(page: Page, pool: Pool) -> tuple[Session | None, int | None] | None:
    if not page.logged_in or page.who == "hub":
        return None, None
    if page.who != "citizen":
        return Session(page.who, pool.extras["staff"][page.who], []), None
    if page.key == "pdf":
        return pool.pdf_to_build()
    if page.key == "pdf_cache":
        return pool.pdf_built()
    return pool.session(), None


async def one_request(client: Client, page: Page, pool: Pool, result: Result) -> None:
    target = target_of(page, pool)
    if target is None:
        result.error("no request to ask for")
        await asyncio.sleep(0.01)
        return
    session, pk = target
    url = page.url.format(pk=pk, **pool.extras)
    headers = {"Cookie": session.cookie} if session else {}
    if page.who == "hub":
        headers["X-Hub-Rdv-Auth-Token"] = pool.extras["hub_token"]
    started = time.perf_counter()
    response = await client.request("GET", url, headers)
    took = time.perf_counter() - started
    content_type = response.header("content-type")
    if response.status != 200:
        result.error(f"HTTP {response.status}")
    elif not content_type.startswith(EXPECTED_TYPE[page.kind]):
        result.error(f"type {content_type}")
    else:
        result.latencies.append(took)
        result.bytes += len(response.body)
        if page.key == "pdf":
            pool.built.append((session, pk))


async def user_loop(client: Client, page: Page, pool: Pool, result: Result, deadline: float):
    csrf = await csrf_cookie(client) if page.kind == "login" else {}
    while time.monotonic() < deadline:
        try:
            if page.kind == "login":
                await log_in(client, pool, csrf, result)
            elif page.kind == "journey":
                if not await payment_journey.journey(client, page.url, pool, result):
                    return  # no household left to pay: the phase ends for this user
            else:
                await one_request(client, page, pool, result)
        except (OSError, TimeoutError, HTTPError, ValueError) as error:
            result.error(type(error).__name__)


async def run_phase(
    base_url: str, page: Page, users: int, duration: float, pool: Pool, server_pid: int
) -> Result:
    result = Result(page=page, users=users)
    client = Client.of(base_url)
    before = cpu.snapshot(server_pid)
    started = time.monotonic()
    deadline = started + duration
    await asyncio.gather(*(user_loop(client, page, pool, result, deadline) for _ in range(users)))
    result.elapsed = time.monotonic() - started
    result.cpu = cpu.shares(before, cpu.snapshot(server_pid))
    return result


async def warm_up(base_url: str, pool: Pool, logins: int) -> None:
    """Log some citizens in and visit every page a few times: imports, templates and
    connections are ready in every worker before anything is timed."""
    client = Client.of(base_url)
    csrf = await csrf_cookie(client)
    for _ in range(logins):
        await log_in(client, pool, csrf, None)
    if not pool.sessions:
        raise HTTPError("no login succeeded while warming up")
    for page in PAGES:
        # The newer pages need the probe's extras (the scale-out mode has none).
        if page.kind not in ("login", "journey") and (pool.extras or page.key not in NEWER):
            for _ in range(logins):
                await one_request(client, page, pool, Result(page=page, users=1))


def run_level(
    base_url: str,
    users: int,
    duration: float,
    pool: Pool,
    server_pid: int,
    log,
    reference_duration: float,
    newer_duration: float | None = None,
):
    """Every page at one level; the newer pages (NEWER) for ``newer_duration`` when given
    (the smoke run keeps them short)."""
    results = []
    baseline = next(page for page in PAGES if page.key == "base_a")
    for page in PAGES:
        phase = newer_duration if newer_duration and page.key in NEWER else duration
        reference = None
        if page.key in COMPARED:
            reference = asyncio.run(
                run_phase(
                    base_url, baseline, users, min(reference_duration, phase), pool, server_pid
                )  # fmt: skip
            ).rate
        result = asyncio.run(run_phase(base_url, page, users, phase, pool, server_pid))
        result.reference = reference
        log(
            f"  {users:>3} users  {page.label:<45} {result.rate:8.1f} req/s  "
            f"p95 {result.percentile(95):7.1f} ms  errors {sum(result.errors.values())}"
            + (f"  (a) just before {reference:.1f} req/s" if reference else "")
        )
        results.append(result)
    return results
