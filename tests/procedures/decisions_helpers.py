"""Shared by the tests of issue 25: a sent request, a parking permit and its document."""

from procedures import services
from procedures.models import DecisionOutcome, DecisionTemplate, Procedure, ProcedureField
from tests.procedures.factories import FieldFactory, ProcedureFactory, complete_answers

PERMIT_BODY = (
    "{demandeur} est autorisé(e) à stationner le véhicule {reponse:immatriculation} "
    "devant le {reponse:adresse_chantier} pour la demande n° {numero}.\n\n"
    "Décision du {date_decision}."
)


def sent_request(account, procedure, answers=None, member=None):
    draft = services.request_draft_save(
        account=account,
        procedure=procedure,
        member=member,
        answers=complete_answers(procedure, answers or {}),
    )
    return services.request_submit(citizen_request=draft, by=account)


def parking_permit(**kwargs) -> Procedure:
    procedure = ProcedureFactory(
        title="Demande de permis de stationnement", service_name="Service Voirie", **kwargs
    )
    FieldFactory(procedure=procedure, name="immatriculation", label="Immatriculation", order=1)
    FieldFactory(
        procedure=procedure,
        name="adresse_chantier",
        label="Adresse du chantier",
        kind=ProcedureField.Kind.SHORT_TEXT,
        order=2,
    )
    DecisionTemplate.objects.create(
        procedure=procedure,
        outcome=DecisionOutcome.ACCEPTANCE,
        title="Autorisation de stationnement",
        body=PERMIT_BODY,
        signatory_name="Claire Dupont",
        signatory_role="Adjointe au maire chargée de la voirie",
    )
    return procedure
