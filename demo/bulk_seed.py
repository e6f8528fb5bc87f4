"""A city-sized data set for the load benchmark: ``manage.py seed_demo --households N``.

Bench accounts are named ``b000000``, ``b000001``… and all log in with
``BENCH_PASSWORD``. Each has a validated account created weeks or years ago, a
household of about 2.5 members, about 5 requests across the demo catalogue in
realistic states with their history, and, for households with children, the
school and after-school invoices of the last months (about 6 per household on
average; each in its régie when the town has one, and for half of them a term of music
school to pay, in the conservatoire's); then, once, four passport and identity-card
agendas booked by them (demo/bulk_bookings.py). The data is random but the same from one
run to the next.

Speed: 100,000 households are some 3 million rows. Model instances and
``bulk_create`` spend their time building objects and compiling SQL in Python
(a first version was on course for well over the 5 minutes allowed), so rows
are plain dicts written with PostgreSQL's COPY (a batched INSERT on other
databases), one transaction per chunk of households, with every column the
model has and its default when the generator leaves it out.
The password is hashed once for every account. Running again with the same N
adds nothing; a larger N adds the missing households. Request numbers are taken
from ``RequestCounter`` in blocks, as submissions take them one by one, so the
portal's next request gets the next free number.
"""

import json
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dtime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.utils import timezone

from accounts.models import AccountStatus, Civility, SecurityQuestion, User
from accounts.text import normalize_answer
from appointments.models import Booking
from households.ages import majority_cutoff
from households.models import Household, Member, Relationship, Sex
from payments.calendar import months_before
from payments.models import Domain, Invoice, InvoiceState, RegieDomain
from procedures.models import (
    Procedure,
    ProcedureField,
    Request,
    RequestCounter,
    RequestEvent,
    RequestState,
)

BENCH_PASSWORD = "Banc-essai-2026!"  # noqa: S105 - published: bench data only
BENCH_SECURITY_ANSWER = "Médor"
IDENTIFIER_RE = r"^b[0-9]{6}$"
MAX_HOUSEHOLDS = 1_000_000
CHUNK = 2000  # households per transaction: about 5,000 members and 10,000 requests
SEED = 20_260_101

CITY = ("99999", "Villeneuve-sur-Example")
FEMALE = (
    "Camille", "Léa", "Manon", "Chloé", "Emma", "Inès", "Jade", "Louise", "Alice", "Lina",
    "Sarah", "Julie", "Anne", "Claire", "Marie", "Nathalie", "Isabelle", "Sophie", "Élodie",
    "Aurélie", "Céline", "Sandrine", "Hélène", "Margaux", "Zoé", "Rose", "Anna", "Lucie",
)  # fmt: skip
MALE = (
    "Thomas", "Lucas", "Hugo", "Louis", "Nathan", "Léo", "Gabriel", "Jules", "Arthur", "Adam",
    "Paul", "Nicolas", "Julien", "Pierre", "Antoine", "Maxime", "Olivier", "Laurent",
    "Philippe", "Éric", "David", "Sébastien", "Mathieu", "Romain", "Noé", "Tom", "Victor",
)  # fmt: skip
LAST = (
    "MARTIN", "BERNARD", "DUBOIS", "THOMAS", "ROBERT", "RICHARD", "PETIT", "DURAND", "LEROY",
    "MOREAU", "SIMON", "LAURENT", "LEFEBVRE", "MICHEL", "GARCIA", "DAVID", "BERTRAND", "ROUX",
    "VINCENT", "FOURNIER", "MOREL", "GIRARD", "ANDRÉ", "LEFÈVRE", "MERCIER", "DUPONT",
    "LAMBERT", "BONNET", "FRANÇOIS", "MARTINEZ", "LEGRAND", "GARNIER", "FAURE", "ROUSSEAU",
    "BLANC", "GUÉRIN", "MULLER", "HENRY", "ROUSSEL", "NICOLAS", "PERRIN", "MORIN", "MATHIEU",
    "CLÉMENT", "GAUTHIER", "DUMONT", "LOPEZ",
)  # fmt: skip
STREETS = (
    "rue des Écoles",
    "avenue de la République",
    "rue Victor-Hugo",
    "place de la Mairie",
    "rue des Tilleuls",
    "allée des Peupliers",
    "boulevard Jean-Jaurès",
    "rue Pasteur",
    "impasse des Lilas",
    "chemin du Moulin",
    "rue de la Gare",
    "rue Jules-Ferry",
)
PLACES = ("Villeneuve-sur-Example", "Lyon", "Paris", "Marseille", "Lille", "Nantes", "Rennes")
PROFESSIONS = ("Infirmière", "Enseignant", "Comptable", "Artisan", "Retraité", "Ingénieure", "")
SCHOOLS = ("École maternelle Les Coquelicots", "École élémentaire Jules-Ferry")
CLASSES = ("Petite section", "Moyenne section", "Grande section", "CP", "CE1", "CE2", "CM1", "CM2")
WORDS = (
    "un", "canapé", "trois", "places", "une", "armoire", "un", "réfrigérateur", "des",
    "chaises", "un", "matelas",
)  # fmt: skip
MONTHS = (
    "janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre",
    "octobre", "novembre", "décembre",
)  # fmt: skip

# Household sizes and their shares: about 2.5 members on average.
SIZES = ((1, 0.30), (2, 0.27), (3, 0.17), (4, 0.16), (5, 0.10))
# States of the requests and their shares; drafts are recent, open ones too.
STATES = (
    (RequestState.DRAFT, 0.06),
    (RequestState.SUBMITTED, 0.08),
    (RequestState.IN_PROGRESS, 0.10),
    (RequestState.WAITING, 0.04),
    (RequestState.ACCEPTED, 0.08),
    (RequestState.REFUSED, 0.05),
    (RequestState.DONE, 0.54),
    (RequestState.CANCELLED, 0.05),
)
OPEN = {
    RequestState.SUBMITTED,
    RequestState.IN_PROGRESS,
    RequestState.WAITING,
    RequestState.ACCEPTED,
}
DECIDED = {RequestState.ACCEPTED, RequestState.REFUSED, RequestState.DONE}
# The transitions after « Reçue » that lead to each state: (name, by staff, comment).
PATHS = {
    RequestState.SUBMITTED: (),
    RequestState.IN_PROGRESS: (("start", True, ""),),
    RequestState.WAITING: (
        ("start", True, ""),
        ("ask_citizen", True, "Merci de nous transmettre un justificatif de domicile récent."),
    ),
    RequestState.ACCEPTED: (("start", True, ""), ("accept", True, "")),
    RequestState.REFUSED: (
        ("start", True, ""),
        ("refuse", True, "Les conditions ne sont pas remplies."),
    ),
    RequestState.DONE: (("start", True, ""), ("accept", True, ""), ("complete", True, "")),
    RequestState.CANCELLED: (("cancel", False, ""),),
}
TARGET = {
    "start": RequestState.IN_PROGRESS,
    "ask_citizen": RequestState.WAITING,
    "accept": RequestState.ACCEPTED,
    "refuse": RequestState.REFUSED,
    "complete": RequestState.DONE,
    "cancel": RequestState.CANCELLED,
}
MEAL = Decimal("3.85")
HOUR = Decimal("2.70")
# A term of music school for a share of the children (the conservatoire's régie in the
# demo, paid on the simulated card page while the school's go through the simulated PayFiP).
MUSIC_TERM = Decimal("64.00")
MUSIC_SHARE = 0.5


@dataclass
class Summary:
    households: int = 0
    members: int = 0
    requests: int = 0
    events: int = 0
    invoices: int = 0
    bookings: int = 0
    seconds: float = 0.0
    skipped: int = 0  # bench households already there


@dataclass
class Context:
    """What every chunk needs, computed once."""

    now: datetime
    today: date
    password: str
    security_answer: str
    agent_id: int | None
    procedures: list[Procedure]
    fields: dict[int, list[ProcedureField]] = field(default_factory=dict)
    regie_of: dict[str, int] = field(default_factory=dict)  # domain: the régie collecting it


@dataclass
class Chunk:
    """The rows of one chunk of households, as dicts of column attnames."""

    accounts: list[dict] = field(default_factory=list)
    households: list[dict] = field(default_factory=list)
    members: list[dict] = field(default_factory=list)
    requests: list[dict] = field(default_factory=list)
    events: list[dict] = field(default_factory=list)
    invoices: list[dict] = field(default_factory=list)


def bench_identifier(n: int) -> str:
    return f"b{n:06d}"


def existing_households() -> int:
    """How many bench households are there: they are numbered from 0 without a gap."""
    last = (
        User.objects.filter(identifier__regex=IDENTIFIER_RE)
        .order_by("-identifier")
        .values_list("identifier", flat=True)
        .first()
    )
    return int(last[1:]) + 1 if last else 0


def seed_households(total: int, *, progress=None) -> Summary:
    """Make sure the bench households b000000 … b{total-1} exist; returns what was added."""
    if not 0 <= total <= MAX_HOUSEHOLDS:
        raise ValueError(f"Le nombre de foyers doit être compris entre 0 et {MAX_HOUSEHOLDS}.")
    started = time.monotonic()
    summary = Summary()
    first = existing_households()
    summary.skipped = min(first, total)
    if first < total:
        context = make_context()
        for start in range(first, total, CHUNK):
            stop = min(start + CHUNK, total)
            with transaction.atomic():
                seed_chunk(context, range(start, stop), summary)
            if progress:
                progress(stop - first, total - first)
    from demo import bulk_bookings  # It writes with this module's helpers.

    with transaction.atomic():
        summary.bookings = bulk_bookings.seed()
    if summary.households or summary.bookings:
        analyze()
    summary.seconds = time.monotonic() - started
    return summary


def make_context() -> Context:
    procedures = list(
        Procedure.objects.published()
        .filter(account_required=True)
        .prefetch_related("fields")
        .order_by("pk")
    )
    if not procedures:
        raise ValueError("Le catalogue des démarches est vide : lancez seed_demo sans option.")
    agent = User.objects.filter(is_staff=True, is_superuser=False).order_by("pk").first()
    now = timezone.now()
    return Context(
        now=now,
        today=timezone.localdate(now),
        password=make_password(BENCH_PASSWORD),
        security_answer=make_password(normalize_answer(BENCH_SECURITY_ANSWER)),
        agent_id=agent.pk if agent else None,
        procedures=procedures,
        fields={p.pk: list(p.fields.all()) for p in procedures},
        regie_of=dict(RegieDomain.objects.values_list("domain", "regie")),
    )


def seed_chunk(context: Context, numbers: range, summary: Summary) -> None:
    """Generate then write one chunk; parents' ids are reserved first for their children."""
    rng = random.Random(SEED + numbers.start)
    chunk = Chunk()
    account_ids = reserve_ids(User, len(numbers))
    household_ids = reserve_ids(Household, len(numbers))
    families = []
    for n, account_id, household_id in zip(numbers, account_ids, household_ids, strict=True):
        account = make_account(context, rng, n)
        account["id"] = account_id
        chunk.accounts.append(account)
        chunk.households.append(
            {"id": household_id, "account_id": account_id, "created_at": account["date_joined"]}
        )
        family = make_family(context, rng, account, household_id)
        chunk.members += family
        families.append((n, account, family))
    assign_ids(Member, chunk.members)

    cutoff = majority_cutoff(context.today)
    for n, account, family in families:
        adults = [m for m in family if m["birth_date"] <= cutoff]
        children = [m for m in family if m["birth_date"] > cutoff]
        chunk.requests += make_requests(context, rng, account, family, adults, children)
        chunk.invoices += make_invoices(context, rng, n, children)
    assign_ids(Request, chunk.requests)
    number_requests(chunk.requests)
    for request in chunk.requests:
        add_events(context, rng, chunk, request)

    for model, rows in (
        (User, chunk.accounts),
        (Household, chunk.households),
        (Member, chunk.members),
        (Request, chunk.requests),
        (RequestEvent, chunk.events),
        (Invoice, chunk.invoices),
    ):
        insert(model, rows, now=context.now)

    summary.households += len(chunk.households)
    summary.members += len(chunk.members)
    summary.requests += len(chunk.requests)
    summary.events += len(chunk.events)
    summary.invoices += len(chunk.invoices)


# Writing --------------------------------------------------------------------------------


def assign_ids(model: type[models.Model], rows: list[dict]) -> None:
    for row, pk in zip(rows, reserve_ids(model, len(rows)), strict=True):
        row["id"] = pk


def reserve_ids(model: type[models.Model], count: int) -> list[int]:
    """Primary keys for rows that other rows of the chunk point to."""
    if count == 0:
        return []
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                [table, count],
            )
            return [row[0] for row in cursor.fetchall()]
        # Elsewhere (SQLite for the smoke run) the chunk's transaction holds the only writer.
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {connection.ops.quote_name(table)}")  # noqa: S608
        last = cursor.fetchone()[0]
        return list(range(last + 1, last + 1 + count))


def insert(model: type[models.Model], rows: list[dict], *, now: datetime) -> None:
    """Write the rows with every column of the model; a column a row leaves out gets the
    field's default (so a field added to the model later needs no change here)."""
    if not rows:
        return
    with_id = "id" in rows[0]
    fields = [f for f in model._meta.concrete_fields if with_id or not f.primary_key]
    defaults = {f.attname: default_of(f, now) for f in fields}
    names = [f.attname for f in fields]
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    json_columns = {i for i, f in enumerate(fields) if isinstance(f, models.JSONField)}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    values = [row.get(name, defaults[name]) for name in names]
                    for i in json_columns:
                        values[i] = json.dumps(values[i])
                    copy.write_row(values)
        else:
            marks = ", ".join(["%s"] * len(fields))
            cursor.executemany(
                f"INSERT INTO {table} ({columns}) VALUES ({marks})",  # noqa: S608
                [
                    [
                        f.get_db_prep_save(row.get(f.attname, defaults[f.attname]), connection)
                        for f in fields
                    ]
                    for row in rows
                ],
            )


def default_of(field: models.Field, now: datetime):
    if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
        return now
    return field.get_default()


# Generating -----------------------------------------------------------------------------


def weighted(rng: random.Random, table):
    values, weights = zip(*table, strict=True)
    return rng.choices(values, weights)[0]


def around(rng: random.Random, mean: float, cap: int) -> int:
    """A count with a long tail, so that some households have many more rows than most."""
    return min(cap, int(rng.expovariate(1 / mean) + 0.5))


def days_ago(context: Context, rng: random.Random, low: float, high: float) -> datetime:
    return context.now - timedelta(days=rng.uniform(low, high))


def two_digits(rng: random.Random) -> str:
    return str(rng.randint(10, 99))


def make_account(context: Context, rng: random.Random, n: int) -> dict:
    civility = rng.choice((Civility.MADAME, Civility.MONSIEUR))
    identifier = bench_identifier(n)
    # Well over the 2 business days after which invoices show (payments.eligibility).
    joined = days_ago(context, rng, 10, 1500)
    age = rng.randint(25, 85)
    return {
        "identifier": identifier,
        "password": context.password,
        "civility": str(civility),
        "first_name": rng.choice(FEMALE if civility == Civility.MADAME else MALE),
        "last_name": rng.choice(LAST),
        "birth_date": context.today - timedelta(days=365 * age + rng.randint(0, 364)),
        "email": f"{identifier}@bench.example",
        "phone": "06 " + " ".join(two_digits(rng) for _ in range(4)),
        "address": f"{rng.randint(1, 120)} {rng.choice(STREETS)}",
        "postal_code": CITY[0],
        "city": CITY[1],
        "security_question": str(SecurityQuestion.FIRST_PET),
        "security_answer": context.security_answer,
        "status": str(AccountStatus.VALIDATED),
        "validated_at": joined + timedelta(days=rng.uniform(0.1, 2)),
        "validated_by_id": context.agent_id,
        "date_joined": joined,
    }


def full_name(member: dict) -> str:
    return f"{member['first_names']} {member['last_name']}"


def make_family(context: Context, rng, account: dict, household_id: int) -> list[dict]:
    """The holder as the account states it (households.services.holder_values), then the
    spouse and children."""
    holder = {
        "household_id": household_id,
        "relationship": str(Relationship.HOLDER),
        "sex": str(Sex.FEMALE if account["civility"] == Civility.MADAME else Sex.MALE),
        "last_name": account["last_name"],
        "first_names": account["first_name"],
        "birth_date": account["birth_date"],
        "birth_place": rng.choice(PLACES),
        "email": account["email"],
        "phone": account["phone"],
        "profession": rng.choice(PROFESSIONS),
        "created_at": account["date_joined"],
    }
    size = weighted(rng, SIZES)
    family = [holder]
    if size >= 2 and rng.random() < 0.7:
        family.append(make_spouse(rng, holder, account["identifier"]))
    while len(family) < size:
        family.append(make_child(context, rng, holder))
    return family


def make_spouse(rng: random.Random, holder: dict, identifier: str) -> dict:
    sex = Sex.MALE if holder["sex"] == Sex.FEMALE else Sex.FEMALE
    first = rng.choice(MALE if sex == Sex.MALE else FEMALE)
    return {
        "household_id": holder["household_id"],
        "relationship": str(Relationship.SPOUSE),
        "sex": str(sex),
        "last_name": holder["last_name"],
        "first_names": first,
        "birth_date": holder["birth_date"] + timedelta(days=rng.randint(-1500, 1500)),
        "birth_place": rng.choice(PLACES),
        "email": f"conjoint.{identifier}@bench.example",
        "profession": rng.choice(PROFESSIONS),
        "created_at": holder["created_at"],
    }


def make_child(context: Context, rng: random.Random, holder: dict) -> dict:
    sex = rng.choice((Sex.FEMALE, Sex.MALE))
    holder_age = (context.today - holder["birth_date"]).days // 365
    age = rng.randint(0, max(0, min(17, holder_age - 20)))
    in_school = 3 <= age <= 10
    return {
        "household_id": holder["household_id"],
        "relationship": str(Relationship.CHILD),
        "sex": str(sex),
        "last_name": holder["last_name"],
        "first_names": rng.choice(FEMALE if sex == Sex.FEMALE else MALE),
        "birth_date": context.today - timedelta(days=365 * age + rng.randint(1, 360)),
        "birth_place": rng.choice(PLACES),
        "school": rng.choice(SCHOOLS) if in_school else "",
        "school_class": CLASSES[min(age - 3, 7)] if in_school else "",
        "created_at": holder["created_at"],
    }


def make_requests(context: Context, rng, account: dict, family, adults, children) -> list[dict]:
    """About 5 requests (a long tail up to 40) on the procedures that fit the household."""
    candidates = {
        Procedure.Concerns.HOUSEHOLD: [None],
        Procedure.Concerns.ANY_MEMBER: family,
        Procedure.Concerns.ADULT: adults,
        Procedure.Concerns.CHILD: children,
    }
    procedures = [p for p in context.procedures if candidates.get(p.concerns)]
    address = f"{account['address']}, {account['postal_code']} {account['city']}"
    household_name = f"Foyer de {account['first_name']} {account['last_name']}"
    rows = []
    for _ in range(around(rng, 5, 40)):
        procedure = rng.choice(procedures)
        member = rng.choice(candidates[procedure.concerns])
        state = weighted(rng, STATES)
        created = request_created_at(context, rng, account, state)
        row = {
            "procedure_id": procedure.pk,
            "account_id": account["id"],
            "member_id": None,
            "subject_name": household_name,
            "subject_birth_date": None,
            "address": address,
            "contact_email": account["email"],
            "answers": make_answers(context, rng, procedure),
            "state": str(state),
            "created_at": created,
            "updated_at": created,
        }
        if member is not None:
            row["member_id"] = member["id"]
            row["subject_name"] = full_name(member)
            row["subject_birth_date"] = member["birth_date"]
        if state != RequestState.DRAFT:
            row["submitted_at"] = created + timedelta(minutes=rng.uniform(2, 240))
            row["updated_at"] = row["submitted_at"]
        if state in DECIDED:
            decided = min(row["submitted_at"] + timedelta(days=rng.uniform(1, 20)), context.now)
            row["decided_at"] = row["updated_at"] = decided
            if procedure.has_appointment and state != RequestState.REFUSED:
                appointment = timezone.localdate(decided) + timedelta(days=rng.randint(3, 15))
                row["appointment_date"] = appointment
        rows.append(row)
    return rows


def request_created_at(context: Context, rng, account: dict, state: str) -> datetime:
    """Drafts within their 30 days, open requests of the last weeks, closed ones older;
    never before the account."""
    if state == RequestState.DRAFT:
        low, high = 0.1, 25.0
    elif state in OPEN:
        low, high = 0.5, 45.0
    else:
        low, high = 3.0, 1000.0
    account_days = (context.now - account["date_joined"]).total_seconds() / 86400
    high = max(min(high, account_days - 0.05), 0.1)
    return days_ago(context, rng, min(low, high), high)


def make_answers(context: Context, rng: random.Random, procedure: Procedure) -> dict:
    """Answers as ProcedureForm.answers() keeps them: dates in ISO, numbers as text."""
    answers = {}
    for definition in context.fields[procedure.pk]:
        choices = definition.choice_list
        match definition.kind:
            case ProcedureField.Kind.FILE:
                continue
            case ProcedureField.Kind.CHOICE:
                value = rng.choice(choices)
            case ProcedureField.Kind.MULTIPLE_CHOICE:
                value = rng.sample(choices, rng.randint(1, len(choices)))
            case ProcedureField.Kind.DATE:
                value = (context.today + timedelta(days=rng.randint(-30, 60))).isoformat()
            case ProcedureField.Kind.NUMBER:
                value = str(rng.randint(1, 5))
            case ProcedureField.Kind.CHECKBOX:
                value = True
            case ProcedureField.Kind.EMAIL:
                value = "contact@bench.example"
            case ProcedureField.Kind.PHONE:
                value = "06 12 34 56 78"
            case ProcedureField.Kind.LONG_TEXT:
                value = " ".join(rng.sample(WORDS, 4)).capitalize() + "."
            case _:
                value = f"{rng.randint(1, 120)} {rng.choice(STREETS)}"
        answers[definition.name] = value
    return answers


def number_requests(requests: list[dict]) -> None:
    """Take a block of numbers per year from the counter (locked, as a submission locks it)
    and give them in the order of submission."""
    sent = sorted((r for r in requests if "submitted_at" in r), key=lambda r: r["submitted_at"])
    years = [timezone.localdate(r["submitted_at"]).year for r in sent]
    following = {}
    for year, count in Counter(years).items():
        RequestCounter.objects.get_or_create(year=year)
        counter = RequestCounter.objects.select_for_update().get(year=year)
        following[year] = counter.last + 1
        counter.last += count
        counter.save(update_fields=["last"])
    for request, year in zip(sent, years, strict=True):
        request["number"] = f"{year}-{following[year]:06d}"
        following[year] += 1


def add_events(context: Context, rng: random.Random, chunk: Chunk, request: dict) -> None:
    """The history the services would have written: « Reçue », then each transition."""
    if "submitted_at" not in request:
        return
    submitted = request["submitted_at"]
    end = request.get("decided_at") or context.now
    chunk.events.append(
        {
            "request_id": request["id"],
            "from_state": str(RequestState.DRAFT),
            "to_state": str(RequestState.SUBMITTED),
            "transition": "submit",
            "actor_id": request["account_id"],
            "by_staff": False,
            "at": submitted,
        }
    )
    state, at = RequestState.SUBMITTED, submitted
    for name, by_staff, comment in PATHS[request["state"]]:
        at = min(at + (end - at) * rng.uniform(0.2, 0.6), context.now)
        if name in ("accept", "refuse"):
            at = request["decided_at"]
        elif name == "complete":
            at = min(request["decided_at"] + timedelta(days=rng.uniform(1, 20)), context.now)
        staff = by_staff and context.agent_id is not None
        chunk.events.append(
            {
                "request_id": request["id"],
                "from_state": str(state),
                "to_state": str(TARGET[name]),
                "transition": name,
                "actor_id": context.agent_id if staff else request["account_id"],
                "by_staff": staff,
                "at": at,
                "comment": comment,
            }
        )
        state = TARGET[name]


def make_invoices(context: Context, rng, n: int, children: list[dict]) -> list[dict]:
    """School meals per child and after-school hours, monthly, over the last 4 to 7 months."""
    if not children:
        return []
    latest = context.today.replace(day=5)
    if context.today.day < 5:
        latest = months_before(latest, 1)
    rows = []
    for months in range(rng.randint(4, 7)):
        issue = months_before(latest, months)
        lines = [(MEAL, rng.randint(8, 18), child, Domain.SCHOOL) for child in children]
        lines = [line for line in lines if rng.random() < 0.9]
        if rng.random() < 0.6:
            lines.append((HOUR, rng.randint(4, 16), rng.choice(children), Domain.AFTER_SCHOOL))
        rows += [make_invoice(context, rng, issue, *line) for line in lines]
    if rng.random() < MUSIC_SHARE:
        music = (MUSIC_TERM, 1, children[0], Domain.MUSIC_SCHOOL)
        rows.append(make_invoice(context, rng, latest, *music, state=InvoiceState.TO_PAY))
    for k, row in enumerate(rows):
        row["number"] = f"B{n:06d}-{k:03d}"
    return rows


def make_invoice(context: Context, rng, issue, price, quantity, child, domain, state=None) -> dict:
    """Older invoices mostly paid at the Guichet Unique, recent ones mostly to pay."""
    period_start = months_before(issue, 1)
    old = (context.today - issue).days > 60
    state = state or weighted(
        rng,
        (
            (InvoiceState.PAID, 0.85 if old else 0.32),
            (InvoiceState.TO_PAY, 0.12 if old else 0.65),
            (InvoiceState.CANCELLED, 0.03),
        ),
    )
    paid_at = None
    if state == InvoiceState.PAID:
        paid_day = min(issue + timedelta(days=rng.randint(1, 24)), context.today)
        paid_at = timezone.make_aware(datetime.combine(paid_day, dtime(rng.randint(8, 19))))
    label = {
        Domain.SCHOOL: f"Restauration scolaire ({quantity} repas)",
        Domain.AFTER_SCHOOL: f"Accueil périscolaire du soir ({quantity} h)",
        Domain.MUSIC_SCHOOL: "Conservatoire : cours de musique (trimestre)",
    }[domain]
    created = timezone.make_aware(datetime.combine(issue, dtime(6)))
    return {
        "household_id": child["household_id"],
        "member_id": child["id"],
        "member_name": full_name(child),
        "domain": str(domain),
        "regie_id": context.regie_of.get(str(domain)),
        "label": label,
        "period": f"{MONTHS[period_start.month - 1]} {period_start.year}",
        "amount": price * quantity,
        "issue_date": issue,
        "due_date": issue + timedelta(days=25),
        "state": str(state),
        "paid_at": paid_at,
        "created_at": created,
        "updated_at": paid_at or created,
    }


def analyze() -> None:
    """Fresh planner statistics after a bulk load, as autovacuum would give them later."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def counts() -> dict[str, int]:
    """The size of the data set, for the benchmark's report."""
    return {
        "households": User.objects.filter(identifier__regex=IDENTIFIER_RE).count(),
        "members": Member.objects.count(),
        "requests": Request.objects.count(),
        "events": RequestEvent.objects.count(),
        "invoices": Invoice.objects.count(),
        "bookings": Booking.objects.count(),
    }
