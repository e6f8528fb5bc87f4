"""Issue the document a decision produces, in the decision's own transaction.

Which outcome a transition is (``OUTCOME_OF``), the procedure's template for it
(``DecisionTemplate``), its placeholders filled once and kept on ``DecisionDocument``:
the document says what was decided that day, whatever later edits of the template.
An implicit acceptance always gets its attestation (CRPA L. 232-3): the procedure's
template if it wrote one, else the town's default below.
"""

from datetime import date

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from procedures import queue, selectors
from procedures.catalogue.placeholders import fill
from procedures.models import DecisionDocument, DecisionOutcome, Request, RequestEvent

OUTCOME_OF = {
    "accept": DecisionOutcome.ACCEPTANCE,
    "accept_implicitly": DecisionOutcome.IMPLICIT_ACCEPTANCE,
    "refuse": DecisionOutcome.REFUSAL,
    "refuse_implicitly": DecisionOutcome.REFUSAL,
}
IMPLICIT_OUTCOMES = {"accept_implicitly", "refuse_implicitly"}

DEFAULT_IMPLICIT_TITLE = "Attestation de décision implicite d'acceptation"
DEFAULT_IMPLICIT_BODY = (
    "La demande n° {numero} « {demarche} », présentée par {demandeur} et reçue le "
    "{date_reception}, n'a pas reçu de réponse de la mairie dans le délai de la règle "
    "« le silence vaut acceptation ».\n\n"
    "Elle a fait l'objet d'une décision implicite d'acceptation le {date_decision}.\n\n"
    "La présente attestation est délivrée en application de l'article L. 232-3 du code "
    "des relations entre le public et l'administration."
)


def decision_date(citizen_request: Request, transition: str) -> date:
    """The day the decision was born: the silence date for an implicit one, else today."""
    if transition in IMPLICIT_OUTCOMES:
        end = queue.silence_end(citizen_request)
        if end is not None:
            return end
    return timezone.localdate(citizen_request.decided_at or timezone.now())


def holder_name(citizen_request: Request) -> str:
    if citizen_request.member_id is not None:
        return citizen_request.subject_name
    if citizen_request.account is not None:
        return citizen_request.account.get_full_name()
    return citizen_request.subject_name


def placeholder_values(citizen_request: Request, *, decided_on: date, comment: str) -> dict:
    day = "%d/%m/%Y"
    received = citizen_request.submitted_at
    appointment = citizen_request.appointment_date
    return {
        "demandeur": holder_name(citizen_request),
        "personne_concernee": citizen_request.subject_name,
        "adresse": citizen_request.address,
        "demarche": citizen_request.procedure.title,
        "numero": citizen_request.number or "",
        "date_reception": timezone.localtime(received).strftime(day) if received else "",
        "date_decision": decided_on.strftime(day),
        "date_fixee": appointment.strftime(day) if appointment else "",
        "commentaire": comment,
    }


def answers_by_name(citizen_request: Request) -> dict[str, str]:
    return {row["name"]: row["value"] for row in selectors.answers_for_display(citizen_request)}


def document_fill(
    *, citizen_request: Request, template, transition: str, comment: str = ""
) -> DecisionDocument:
    """An unsaved document of ``template`` for this request (the admin's preview too)."""
    decided_on = decision_date(citizen_request, transition)
    values = placeholder_values(citizen_request, decided_on=decided_on, comment=comment)
    return DecisionDocument(
        request=citizen_request,
        outcome=template.outcome,
        title=template.title,
        body=fill(template.body, values, answers_by_name(citizen_request)),
        signatory_name=template.signatory_name,
        signatory_role=template.signatory_role,
        holder_name=holder_name(citizen_request),
        decided_on=decided_on,
    )


def default_implicit_template(procedure):
    from procedures.models import DecisionTemplate

    return DecisionTemplate(
        procedure=procedure,
        outcome=DecisionOutcome.IMPLICIT_ACCEPTANCE,
        title=_(DEFAULT_IMPLICIT_TITLE),
        body=DEFAULT_IMPLICIT_BODY,
        signatory_name=settings.TOWN["publication_director"],
        signatory_role=settings.TOWN["name"],
    )


def document_issue(*, citizen_request: Request, event: RequestEvent) -> DecisionDocument | None:
    """The document of this decision, saved; None when the outcome produces none."""
    outcome = OUTCOME_OF.get(event.transition)
    if outcome is None:
        return None
    procedure = citizen_request.procedure
    template = procedure.decision_templates.filter(outcome=outcome).first()
    if template is None and outcome == DecisionOutcome.IMPLICIT_ACCEPTANCE:
        template = default_implicit_template(procedure)
    if template is None:
        return None
    document = document_fill(
        citizen_request=citizen_request,
        template=template,
        transition=event.transition,
        comment=event.comment,
    )
    document.save()
    return document
