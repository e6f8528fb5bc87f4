"""The demo of issue 25, after the catalogue and the requests; safe to run again.

- « Demande de permis de stationnement » produces « Autorisation de stationnement » on
  acceptance, reminds after 10 days of waiting and closes after 20;
- « Demande de réservation de salle municipale » produces « Confirmation de réservation »
  and uses two steps only (accept, refuse);
- « Inscription scolaire » routes by « École souhaitée » to one group per school (demo
  clerks « coquelicots » and « ferry » for two of them) and produces « Attestation d'inscription
  scolaire »; the clerks get a daily mail of the registrations « Reçue » for 5 days;
- a neighbour's permit has waited 20 days for the citizen and another's room booking
  reached its silence date yesterday: ``manage.py run_deadlines`` visibly acts on both.
"""

from django.contrib.auth.models import Group, Permission
from django.db import transaction
from django.utils import timezone

from backoffice.roles import SERVICE_PERMISSIONS
from demo import people
from demo.catalogue import SCHOOLS
from demo.citizen_requests import DemoRequest, Step, request_make
from procedures.models import (
    DecisionOutcome,
    DecisionTemplate,
    Procedure,
    ProcedureRoute,
    ProcedureStep,
    StepAction,
)

SIGNATORY = ("Claire DUPONT", "Adjointe au maire")
TEMPLATES = {
    "permis-de-stationnement": (
        "Autorisation de stationnement",
        "Le maire autorise {demandeur}, demeurant {adresse}, à occuper le domaine public au "
        "{reponse:adresse} du {reponse:date_debut} au {reponse:date_fin} "
        "(motif : {reponse:motif} ; longueur : {reponse:longueur} mètres).\n\n"
        "Le bénéficiaire pose les panneaux 48 heures avant et présente ce document à toute "
        "demande des agents de la police municipale.",
    ),
    "reservation-de-salle": (
        "Confirmation de réservation",
        "La réservation de la salle {reponse:salle} demandée par {demandeur} "
        "(demande n° {numero}) est confirmée.\n\n"
        "Les clés sont à retirer au Guichet Unique la veille ; l'état des lieux est fait au "
        "retour des clés.",
    ),
    "inscription-scolaire": (
        "Attestation d'inscription scolaire",
        "{personne_concernee} est inscrit(e) en {reponse:niveau} à l'{reponse:ecole_souhaitee} "
        "à compter du {reponse:date_entree}.\n\n"
        "Présentez cette attestation à la direction de l'école pour l'admission.",
    ),
}
# One group per school; demo clerks for the two that the demo's requests chose.
SCHOOL_CLERKS = {"coquelicots": SCHOOLS[0], "ferry": SCHOOLS[1]}
DEADLINE_REQUESTS = (
    DemoRequest(
        "demo-roux",
        "permis-de-stationnement",
        23,
        steps=(
            Step("start", 22),
            Step("ask_citizen", 20, "Merci de joindre l'attestation du déménageur."),
        ),
    ),
    DemoRequest("demo-leroy", "reservation-de-salle", 61),  # Silence date: yesterday.
)


def school_group(school: str) -> Group:
    group, _ = Group.objects.get_or_create(name=f"Service Scolaire — {school}")
    group.permissions.set(
        Permission.objects.filter(codename__in=[name.split(".")[1] for name in SERVICE_PERMISSIONS])
    )
    return group


def templates_seed() -> None:
    for slug, (title, body) in TEMPLATES.items():
        DecisionTemplate.objects.update_or_create(
            procedure=Procedure.objects.get(slug=slug),
            outcome=DecisionOutcome.ACCEPTANCE,
            defaults={
                "title": title,
                "body": body,
                "signatory_name": SIGNATORY[0],
                "signatory_role": SIGNATORY[1],
            },
        )


def routing_seed() -> None:
    registration = Procedure.objects.get(slug="inscription-scolaire")
    registration.routing_field = "ecole_souhaitee"
    registration.untaken_alert_days = 5
    registration.save(update_fields=["routing_field", "untaken_alert_days"])
    for school in SCHOOLS:
        ProcedureRoute.objects.update_or_create(
            procedure=registration, answer=school, defaults={"group": school_group(school)}
        )
    for identifier, school in SCHOOL_CLERKS.items():
        clerk = people.upsert(
            identifier,
            is_staff=True,
            is_superuser=False,
            first_name=identifier.capitalize(),
            last_name="ECOLE",
            email=f"{identifier}@mairie.example",
        )
        clerk.groups.set([school_group(school)])
        people.demo_totp_device(clerk)


def steps_seed() -> None:
    permit = Procedure.objects.get(slug="permis-de-stationnement")
    permit.waiting_reminder_days, permit.waiting_closure_days = 10, 20
    permit.save(update_fields=["waiting_reminder_days", "waiting_closure_days"])
    room = Procedure.objects.get(slug="reservation-de-salle")
    for action in (StepAction.ACCEPT, StepAction.REFUSE):
        ProcedureStep.objects.get_or_create(procedure=room, action=action)


@transaction.atomic
def seed() -> list[tuple[str, str, str]]:
    """Before the demo's requests, so that they are routed and get their documents.
    Returns the school clerks as (role, identifier, password), to print."""
    templates_seed()
    routing_seed()
    steps_seed()
    return [
        (f"Service Scolaire — {school}", identifier, people.DEMO_PASSWORDS[identifier])
        for identifier, school in SCHOOL_CLERKS.items()
    ]


@transaction.atomic
def requests_seed() -> None:
    """After the demo's requests: the two that run_deadlines acts on."""
    admin = people.User.objects.get(identifier="admin")
    for spec in DEADLINE_REQUESTS:
        request_make(spec, now=timezone.now(), clerks={"admin": admin})
