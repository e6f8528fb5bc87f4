"""The steps of the progress bar, with the words a screen reader says instead of the bar."""

from dataclasses import dataclass
from functools import lru_cache

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from procedures.models import RequestState as S
from procedures.transitions import progress_steps

STEPS = 4
# A draft is on no step yet; every other state's step is declared on the transitions
# that lead to it (procedures.transitions).
STEP_OF_STATE = {S.DRAFT: 0, **progress_steps()}


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


@lru_cache(maxsize=64)
def progress_bar_html(state: str, language: str | None) -> SafeString:
    """The bar and its text: the same for every request in a state, so every list row
    reuses the markup built for the first one (per language)."""
    progress = progress_in(state)
    modifier = " progress__fill--refused" if progress.ended_badly else ""
    # The width is a class per step, not a style attribute: the CSP allows no inline style.
    return format_html(
        '<div class="progress"><span class="progress__bar" aria-hidden="true">'
        '<span class="progress__fill progress__fill--step-{}{}"></span></span>'
        '<span class="progress__text">{}</span></div>',
        progress.step,
        modifier,
        progress.text,
    )


def progress_bar(state: str) -> SafeString:
    return progress_bar_html(state, get_language())
