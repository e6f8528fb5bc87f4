"""A procedure's own steps, read by the services, the admin's buttons and the messages.

The state machine (django-fsm, ``Request``'s transitions) says what can happen to any
request; a procedure's steps (``ProcedureStep``, edited in « Démarches ») only narrow the
clerk's actions it offers, may ask a comment where the machine does not, and add the text
of a message template to what the action sends. A procedure without steps offers every
action, as before steps existed.
"""

from procedures.models import Procedure, ProcedureStep
from procedures.transitions import RequestTransition


def procedure_steps(procedure: Procedure) -> dict[str, ProcedureStep]:
    """The procedure's steps by action; read once per procedure object (prefetch-friendly)."""
    cached = getattr(procedure, "_steps_by_action", None)
    if cached is None:
        cached = {
            step.action: step for step in procedure.steps.all().select_related("message_template")
        }
        procedure._steps_by_action = cached
    return cached


def offers(procedure: Procedure, action: str) -> bool:
    """Whether the procedure uses this clerk's action."""
    steps = procedure_steps(procedure)
    return not steps or action in steps


def comment_required(procedure: Procedure, transition: RequestTransition) -> bool:
    """The machine's requirement (a refusal's reason) or the procedure's, whichever asks."""
    step = procedure_steps(procedure).get(transition.name)
    return transition.comment_required or bool(step and step.comment_required)


def step_text(procedure: Procedure, action: str) -> str:
    """The text of the message template the procedure sends with this action, or ""."""
    step = procedure_steps(procedure).get(action)
    if step is None or step.message_template is None:
        return ""
    return step.message_template.body
