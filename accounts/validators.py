"""The password policy, after the CNIL's recommendation (délibération n° 2022-100).

Case n° 1 of the recommendation (a password alone must carry about 80 bits of
entropy): at least 12 characters mixing upper case, lower case, digits and
special characters. Login throttling comes on top of it.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

CLASSES = (
    (str.islower, "une minuscule"),
    (str.isupper, "une majuscule"),
    (str.isdigit, "un chiffre"),
    (lambda c: not c.isalnum(), "un caractère spécial"),
)


class CharacterClassesValidator:
    def validate(self, password: str, user=None) -> None:
        missing = [label for test, label in CLASSES if not any(test(c) for c in password)]
        if missing:
            raise ValidationError(
                _("Le mot de passe doit contenir au moins %(missing)s.")
                % {"missing": ", ".join(missing)},
                code="password_classes",
            )

    def get_help_text(self) -> str:
        return _(
            "Il doit contenir au moins une minuscule, une majuscule, un chiffre "
            "et un caractère spécial."
        )
