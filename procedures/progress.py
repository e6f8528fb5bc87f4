"""The steps of the progress bar, with the words a screen reader says instead of the bar."""

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from procedures.models import RequestState as S

STEPS = 4
STEP_OF_STATE = {
    S.DRAFT: 0,
    S.SUBMITTED: 1,
    S.IN_PROGRESS: 2,
    S.WAITING: 2,
    S.ACCEPTED: 3,
    S.REFUSED: 4,
    S.DONE: 4,
    S.CANCELLED: 4,
}


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
        label=str(S(state).label),
        ended_badly=state in (S.REFUSED, S.CANCELLED),
    )
