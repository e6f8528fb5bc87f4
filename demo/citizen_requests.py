"""Requests of the demo for `manage.py seed_demo`, after the catalogue and the invoices.

The demo household (« demo ») gets a request in every state, with its history and its
messages (the older ones read), one waiting for a document with the clerk's question, a
draft, and a basket; four neighbouring households get requests for every service, so
that each demo clerk opens a queue. Everything goes through the services, as a citizen
and a clerk would; then the dates are moved back, so that the history reads like weeks of
work (and the silence rule of a room booking comes close).

Safe to run again: a request is made only when its account has none for its procedure,
and the basket only when the household has none.
"""

from collections import Counter
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import AccountStatus, Civility, User
from demo.families import years_ago
from households import services as households
from households.models import Category, Relationship, Sex
from notifications.demo import message_backdate, messages_mark_read_before
from payments.models import Invoice, InvoiceState
from payments.services.basket import BasketRefused, basket_add_invoice
from procedures import notify, services
from procedures.catalogue.definition import definition_of
from procedures.models import (
    FieldKind,
    Procedure,
    Request,
    RequestEvent,
    RequestState,
    Street,
)
from procedures.routing import handled_by


@dataclass(frozen=True)
class Step:
    """A clerk's transition (or the citizen's « reply »), so many days ago."""

    name: str
    days_ago: int
    comment: str = ""
    clerk: str = ""


@dataclass(frozen=True)
class DemoRequest:
    account: str
    procedure: str
    days_ago: int  # When it was sent (or, for a draft, last changed).
    member: str = ""  # First names of the member concerned.
    answers: dict = field(default_factory=dict)
    steps: tuple[Step, ...] = ()
    draft: bool = False


@dataclass(frozen=True)
class Neighbour:
    identifier: str
    civility: str
    first_name: str
    last_name: str
    birth_date: date
    address: str
    children: tuple[tuple[str, str, int], ...] = ()  # (first names, sex, age)


NEIGHBOURS = (
    Neighbour(
        "demo-petit", Civility.MONSIEUR, "Bernard", "PETIT", date(1979, 3, 2),
        "4 allée des Tilleuls", (("Inès", Sex.FEMALE, 6), ("Noah", Sex.MALE, 3)),
    ),
    Neighbour(
        "demo-benali", Civility.MADAME, "Nadia", "BENALI", date(1988, 11, 17),
        "27 avenue de la Gare", (("Yanis", Sex.MALE, 9),),
    ),
    Neighbour(
        "demo-roux", Civility.MONSIEUR, "Jean-Luc", "ROUX", date(1961, 6, 30),
        "8 impasse du Moulin",
    ),
    Neighbour(
        "demo-leroy", Civility.MADAME, "Sophie", "LEROY", date(2008, 1, 9),
        "15 rue Victor-Hugo",
    ),
)  # fmt: skip

QUESTION = (
    "Le justificatif de domicile joint date de plus de trois mois. Merci d'en déposer un "
    "récent (facture ou quittance de loyer) depuis la page de votre demande."
)

DEMO_REQUESTS = (
    # The demo household: one request in every state, and a draft.
    DemoRequest(
        "demo", "inscription-scolaire", 40, member="Léa Juliette",
        answers={"niveau": "CM2", "ecole_souhaitee": "École élémentaire Jules-Ferry"},
        steps=(
            Step("start", 38, clerk="scolaire"),
            Step("accept", 30, clerk="scolaire"),
            Step("complete", 28, "Le certificat d'inscription vous a été envoyé.", "scolaire"),
        ),
    ),
    DemoRequest(
        "demo", "collecte-des-encombrants", 12,
        answers={"description_objets": "Un canapé trois places et un réfrigérateur."},
        steps=(Step("start", 11, clerk="environnement"), Step("accept", 10, clerk="environnement")),
    ),
    DemoRequest(
        "demo", "accueil-periscolaire", 9, member="Hugo",
        steps=(
            Step("start", 8, clerk="scolaire"),
            Step("ask_citizen", 6, QUESTION, "scolaire"),
        ),
    ),
    DemoRequest(
        "demo", "restauration-scolaire", 5, member="Hugo",
        answers={"jours": ["Lundi", "Mardi", "Jeudi"], "regime_alimentaire": "Sans porc"},
        steps=(Step("start", 3, clerk="scolaire"),),
    ),
    DemoRequest(
        "demo", "signaler-un-probleme", 1,
        answers={"type_probleme": "Éclairage public", "numero_lampadaire": "EP-042"},
    ),
    DemoRequest(
        "demo", "permis-de-stationnement", 70,
        steps=(
            Step(
                "refuse", 50,
                "La rue est en travaux à ces dates : aucun stationnement n'y est autorisé.",
            ),
        ),
    ),
    DemoRequest(
        "demo", "inscription-ecole-de-musique", 20, member="Léa Juliette",
        steps=(Step("cancel", 19),),
    ),
    DemoRequest("demo", "reservation-de-salle", 2, draft=True, answers={"nombre_personnes": "60"}),
    # The neighbours: a queue for every service.
    DemoRequest(
        "demo-petit", "inscription-scolaire", 15, member="Noah",
        answers={"niveau": "Petite section"},
    ),
    DemoRequest("demo-petit", "restauration-scolaire", 4, member="Inès"),
    DemoRequest(
        "demo-benali", "accueil-periscolaire", 21, member="Yanis",
        steps=(Step("start", 18, clerk="scolaire"),),
    ),
    DemoRequest(
        "demo-benali", "inscription-scolaire", 33, member="Yanis",
        answers={"niveau": "CM1"},
        steps=(Step("start", 30, clerk="scolaire"), Step("ask_citizen", 29, QUESTION, "scolaire")),
    ),
    DemoRequest(
        "demo-roux", "collecte-des-encombrants", 6,
        answers={"description_objets": "Une armoire démontée."},
    ),
    DemoRequest(
        "demo-leroy", "collecte-des-encombrants", 14,
        answers={"description_objets": "Un matelas et un sommier."},
        steps=(Step("start", 13, clerk="environnement"),),
    ),
    DemoRequest("demo-leroy", "inscription-listes-electorales", 25, member="Sophie"),
    DemoRequest("demo-roux", "recensement-citoyen", 3, member="Jean-Luc"),
    DemoRequest(
        "demo-petit", "inscription-listes-electorales", 10, member="Bernard",
        steps=(Step("start", 8, clerk="etatcivil"),),
    ),
    # Close to the silence rule (60 days for a room booking): a mark in the clerk's queue.
    DemoRequest("demo-benali", "reservation-de-salle", 57, answers={"nombre_personnes": "40"}),
    DemoRequest(
        "demo-roux", "signaler-un-probleme", 8, answers={"adresse": {"libre": "Place de la Mairie"}}
    ),
    DemoRequest("demo-leroy", "inscription-ecole-de-musique", 11, member="Sophie"),
)  # fmt: skip

SAMPLES = {
    FieldKind.SHORT_TEXT: "12 rue des Écoles",
    FieldKind.LONG_TEXT: "Merci.",
    FieldKind.NUMBER: "2",
    FieldKind.INTEGER: "12",
    FieldKind.EMAIL: "contact@example.org",
    FieldKind.PHONE: "06 12 34 56 78",
    FieldKind.CHECKBOX: True,
    FieldKind.YES_NO: "oui",
    FieldKind.TIME: "10:00",
    FieldKind.POSTAL_CODE: "99999",
    FieldKind.TOWN: "Villeneuve-sur-Example",
    FieldKind.SIRET: "73282932000074",
    FieldKind.RNA: "W751234567",
    FieldKind.IBAN: "FR7630006000011234567890189",
    FieldKind.BIC: "BNPAFRPP",
    FieldKind.PLATE: "AB-123-CD",
}


def sample_value(question, sent_on: date):
    """A plausible answer to a required question, or None for what the demo leaves out."""
    match question.kind:
        case FieldKind.CHOICE:
            return question.choices[0]
        case FieldKind.MULTIPLE_CHOICE:
            return question.choices[:2]
        case FieldKind.DATE:
            return (sent_on + timedelta(days=30)).isoformat()
        case FieldKind.ADDRESS:
            street = Street.objects.order_by("name").first()
            if street is None:
                return {"libre": "12 rue des Écoles"}
            return {
                "numero": "12",
                "id": street.pk,
                "voie": street.name,
                "code_postal": street.postal_code,
                "commune": street.town,
            }
    return SAMPLES.get(question.kind)


def sample_answers(procedure: Procedure, given: dict, sent_on: date) -> dict:
    """``given``, and for each other required question a plausible answer (a block: as
    many items as it requires)."""
    definition = definition_of(procedure)
    answers = {}
    for _page, question in definition.questions():
        if question.required and question.asked and question.kind != FieldKind.FILE:
            answers[question.name] = sample_value(question, sent_on)
    for _page, block in definition.blocks():
        answers[block.name] = [
            {
                question.name: sample_value(question, sent_on)
                for question in block.questions
                if question.required and question.asked
            }
            for _item in range(max(1, block.min_items))
        ]
    return {**answers, **given}


def neighbour_upsert(spec: Neighbour) -> User:
    """A validated citizen of the demo who never logs in (no usable password)."""
    account = User.objects.filter(identifier=spec.identifier).first()
    if account is None:
        account = User(
            identifier=spec.identifier,
            status=AccountStatus.VALIDATED,
            civility=spec.civility,
            first_name=spec.first_name,
            last_name=spec.last_name,
            birth_date=spec.birth_date,
            email=f"{spec.identifier}@example.org",
            phone="06 11 22 33 44",
            address=spec.address,
            postal_code="99999",
            city="Villeneuve-sur-Example",
            date_joined=timezone.now() - timedelta(days=400),
        )
        account.set_unusable_password()
        account.save()
    household = households.household_get_or_create(account=account)
    households.holder_sync(household=household, by=None)
    declared = set(household.members.values_list("first_names", flat=True))
    for first_names, sex, age in spec.children:
        if first_names not in declared:
            households.member_add(
                household=household,
                by=None,
                category=Category.CHILD,
                relationship=Relationship.CHILD,
                sex=sex,
                last_name=spec.last_name,
                first_names=first_names,
                birth_date=years_ago(age, 5, 10),
            )
    return account


def backdate(request: Request, event: RequestEvent, moment) -> None:
    """Move an event, its message and the request's dates back to ``moment``."""
    RequestEvent.objects.filter(pk=event.pk).update(at=moment)
    message_backdate(dedupe_key=notify.event_dedupe_key(request.pk, event.pk), moment=moment)
    changes = {"updated_at": moment}
    if event.transition == "submit":
        changes.update(created_at=moment - timedelta(minutes=20), submitted_at=moment)
    if event.transition in {"accept", "refuse"}:
        changes["decided_at"] = moment
    Request.objects.filter(pk=request.pk).update(**changes)


def request_make(spec: DemoRequest, *, now, clerks: dict[str, User]) -> Request | None:
    account = User.objects.get(identifier=spec.account)
    if Request.objects.filter(account=account, procedure__slug=spec.procedure).exists():
        return None
    procedure = Procedure.objects.get(slug=spec.procedure)
    member = None
    if spec.member:
        member = households.household_get_or_create(account=account).members.get(
            first_names=spec.member
        )
    sent_at = now - timedelta(days=spec.days_ago)
    given = spec.answers if spec.draft else sample_answers(procedure, spec.answers, sent_at.date())
    request = services.request_draft_save(
        account=account, procedure=procedure, member=member, answers=given
    )
    if spec.draft:
        Request.objects.filter(pk=request.pk).update(created_at=sent_at, updated_at=sent_at)
        return request
    request = services.request_submit(citizen_request=request, by=account)
    backdate(request, request.events.get(), sent_at)
    for step in spec.steps:
        moment = now - timedelta(days=step.days_ago, hours=-2)
        if step.name == "cancel":
            request = services.request_cancel(citizen_request=request, by=account)
        else:
            clerk = clerks[step.clerk or "admin"]
            appointment = (now + timedelta(days=9)).date() if step.name == "accept" else None
            if not procedure.has_appointment:
                appointment = None
            request = services.request_transition(
                citizen_request=request,
                name=step.name,
                by=clerk,
                comment=step.comment,
                appointment_date=appointment,
            )
        backdate(request, request.events.latest("pk"), moment)
    return request


def messages_mark_read(account: User, *, now) -> None:
    """The demo citizen has read what came more than a week ago; the rest is unread."""
    messages_mark_read_before(
        account=account, before=now - timedelta(days=7), read_at=now - timedelta(days=6)
    )


def basket_fill(account: User) -> None:
    """The latest invoice to pay waits in the demo household's basket."""
    invoice = (
        Invoice.objects.filter(household__account=account, state=InvoiceState.TO_PAY)
        .order_by("-issue_date", "-number")
        .first()
    )
    if invoice is None or invoice.household.baskets.exists():
        return
    with suppress(BasketRefused):  # Already being paid: the demo leaves it alone.
        basket_add_invoice(invoice=invoice, by=account)


@transaction.atomic
def seed() -> dict[str, int]:
    """Make what is missing; returns the count of requests per state, to print."""
    now = timezone.now()
    for spec in NEIGHBOURS:
        neighbour_upsert(spec)
    clerks = {
        user.identifier: user
        for user in User.objects.filter(is_staff=True, identifier__in=["admin", "scolaire",
                                                                        "environnement",
                                                                        "etatcivil"])
    }  # fmt: skip
    for spec in DEMO_REQUESTS:
        request_make(spec, now=now, clerks=clerks)
    demo = User.objects.get(identifier="demo")
    messages_mark_read(demo, now=now)
    basket_fill(demo)
    return states()


def states() -> dict[str, int]:
    """The demo's requests per state, in the order of the states."""
    counts = Counter(
        Request.objects.filter(account__identifier__in=demo_identifiers()).values_list(
            "state", flat=True
        )
    )
    return {label: counts[value] for value, label in RequestState.choices if counts[value]}


def demo_identifiers() -> list[str]:
    return ["demo", *(spec.identifier for spec in NEIGHBOURS)]


def queues() -> dict[str, int]:
    """Open requests per service group: what each clerk finds in the admin."""
    return {
        group.name: Request.objects.open()
        .filter(handled_by([group]), account__identifier__in=demo_identifiers())
        .count()
        for group in Group.objects.filter(
            Q(theme__isnull=False) | Q(procedure_routes__isnull=False)
        )
        .distinct()
        .order_by("name")
    }
