"""The admin's login form, and what a way of logging in that is away can tell it.

A backend that cannot reach its source (the town's directory) answers None like a wrong
password would; it leaves a French sentence on the request instead (``login_unavailable``)
and the form shows that sentence rather than « identifiant ou mot de passe incorrect ».
Staff whose second factor an identity source already checked are marked in the session
(``second_factor_done_elsewhere``), so that the admin does not ask for the portal's code.
"""

from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError

REQUEST_ATTRIBUTE = "staff_login_unavailable"
SECOND_FACTOR_ELSEWHERE = "staff_second_factor_elsewhere"


def login_unavailable(request, message: str) -> None:
    setattr(request, REQUEST_ATTRIBUTE, message)


def second_factor_done_elsewhere(session, *, by: str) -> None:
    session[SECOND_FACTOR_ELSEWHERE] = by


def second_factor_checked_elsewhere(session) -> bool:
    return bool(session.get(SECOND_FACTOR_ELSEWHERE))


class StaffAuthenticationForm(AdminAuthenticationForm):
    def clean(self):
        try:
            return super().clean()
        except ValidationError:
            message = getattr(self.request, REQUEST_ATTRIBUTE, "")
            if message:
                raise ValidationError(message, code="unavailable") from None
            raise
