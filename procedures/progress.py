"""The steps of the progress bar, with the words a screen reader says instead of the bar."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from procedures.models import RequestState
from procedures.transitions import progress_steps

STEPS = 4
# A draft is on no step yet; every other state's step is declared on the transitions
# that lead to it (procedures.transitions).
STEP_OF_STATE = {RequestState.DRAFT: 0, **progress_steps()}


@dataclass(frozen=True)
class Progress:
    step: int
    label: str
    ended_badly: bool

    @property
    def total(self) -> int:
        return STEPS

    @property
    def text(self) -> str:
        return str(
            _("Étape %(step)s sur %(total)s : %(label)s")
            % {"step": self.step, "total": STEPS, "label": self.label}
        )


def progress_in(state: str) -> Progress:
    return Progress(
        step=STEP_OF_STATE[state],
        label=str(RequestState(state).label),
        ended_badly=state in (RequestState.REFUSED, RequestState.CANCELLED, RequestState.CLOSED),
    )
