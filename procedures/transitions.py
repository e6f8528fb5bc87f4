"""What each transition of a request means to people, read from the model.

A transition's one home is its method on ``Request``: the ``custom`` of its
``@transition`` says how the history and a clerk's button name it, whether it
needs a comment, the message it sends and the step of the progress bar it leads
to. The admin, the services, ``notify.py`` and ``progress.py`` read it here, so
that adding a step is one edit in ``models.py`` and nothing can be forgotten
elsewhere (``tests/procedures/test_transitions.py`` checks every one is whole).
"""

from dataclasses import dataclass
from functools import cache

from notifications.models import MessageKind
from procedures.models import Request

# What every transition's ``custom`` must say; ``sets_appointment`` is optional.
REQUIRED_KEYS = frozenset({"label", "clerk_button", "comment_required", "message", "progress_step"})


@dataclass(frozen=True)
class RequestTransition:
    name: str
    label: str
    clerk_button: bool
    comment_required: bool
    # (kind, template of templates/notifications/), or None when the citizen hears nothing.
    message: tuple[MessageKind, str] | None
    # The step it leads to; None when the state stays (an « Information »).
    progress_step: int | None
    target: str | None
    sets_appointment: bool = False


@cache
def request_transitions() -> tuple[RequestTransition, ...]:
    """Every transition of ``Request.state``, in the order the model declares them (the
    order of the clerk's buttons)."""
    by_name = {}
    for fsm_transition in Request._meta.get_field("state").get_all_transitions(Request):
        # One entry per source state, all sharing the method's custom and target.
        by_name[fsm_transition.name] = fsm_transition
    declared = list(vars(Request))
    found = []
    for name in sorted(by_name, key=declared.index):
        custom = by_name[name].custom
        missing = REQUIRED_KEYS - custom.keys()
        if missing:
            raise LookupError(f"La transition {name} ne dit pas : {', '.join(sorted(missing))}")
        found.append(
            RequestTransition(
                name=name,
                target=by_name[name].target,
                sets_appointment=custom.get("sets_appointment", False),
                **{key: custom[key] for key in REQUIRED_KEYS},
            )
        )
    return tuple(found)


def transition_named(name: str) -> RequestTransition | None:
    """The transition recorded under ``name`` in the history, or None (an unknown name)."""
    return next((known for known in request_transitions() if known.name == name), None)


def clerk_transitions() -> tuple[RequestTransition, ...]:
    """The buttons of the admin's request page, in their order."""
    return tuple(known for known in request_transitions() if known.clerk_button)


def clerk_transition(name: str) -> RequestTransition | None:
    """A transition a clerk may trigger by its button, or None."""
    known = transition_named(name)
    return known if known is not None and known.clerk_button else None


def progress_steps() -> dict[str, int]:
    """The step of every state a transition leads to (a draft, which none leads to, is
    on none: progress.py says so). Two transitions into one state must agree."""
    steps: dict[str, int] = {}
    for known in request_transitions():
        if known.target is None:
            continue
        if steps.setdefault(known.target, known.progress_step) != known.progress_step:
            raise LookupError(f"La transition {known.name} place « {known.target} » ailleurs")
    return steps
