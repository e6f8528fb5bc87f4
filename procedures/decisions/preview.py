"""The preview of a decision document on a sample request, for « Administration
fonctionnelle » writing a template: a request made up from the procedure's fields,
written inside a transaction that is rolled back, so that nothing of it stays and no
citizen's data is ever shown."""

from datetime import date

from django.db import transaction
from django.utils import timezone

from procedures.decisions.documents import OUTCOME_OF, default_implicit_template, document_fill
from procedures.decisions.files import decision_pdf_bytes
from procedures.models import (
    DecisionOutcome,
    Procedure,
    ProcedureField,
    Request,
    RequestState,
)

SAMPLE_NAME = "Camille Exemple"
TRANSITION_OF = {outcome: name for name, outcome in OUTCOME_OF.items()}


def sample_answer(field: ProcedureField):
    kind = field.kind
    if kind in (ProcedureField.Kind.CHOICE,):
        return field.choice_list[0] if field.choice_list else ""
    if kind == ProcedureField.Kind.MULTIPLE_CHOICE:
        return field.choice_list[:1]
    if kind == ProcedureField.Kind.CHECKBOX:
        return True
    if kind == ProcedureField.Kind.DATE:
        return timezone.localdate().isoformat()
    if kind == ProcedureField.Kind.NUMBER:
        return "1"
    if kind == ProcedureField.Kind.FILE:
        return None
    return f"Exemple : {field.label}"


def preview_pdf(*, procedure: Procedure, outcome: str) -> bytes | None:
    """The PDF of the procedure's template for ``outcome`` on a sample request, or None
    when it has none (an implicit acceptance always has the town's default)."""
    template = procedure.decision_templates.filter(outcome=outcome).first()
    if template is None and outcome == DecisionOutcome.IMPLICIT_ACCEPTANCE:
        template = default_implicit_template(procedure)
    if template is None:
        return None
    with transaction.atomic():
        sample = Request(
            procedure=procedure,
            number="2099-EXEMPLE",
            subject_name=SAMPLE_NAME,
            subject_birth_date=date(2015, 6, 1),
            address="1 rue de l'Exemple",
            answers={field.name: sample_answer(field) for field in procedure.fields.all()},
            submitted_at=timezone.now(),
            decided_at=timezone.now(),
            state=RequestState.ACCEPTED,
        )
        sample.save()
        document = document_fill(
            citizen_request=sample,
            template=template,
            transition=TRANSITION_OF.get(outcome, "accept"),
            comment="Commentaire d'exemple de l'agent.",
        )
        document.verification_code = "EXEMPLE-" + "0" * 24
        data = decision_pdf_bytes(document, preview=True)
        transaction.set_rollback(True)
    return data
