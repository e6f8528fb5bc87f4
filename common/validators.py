"""The checks every app applies to what people type: names, phones, postal codes, ages.

One home, so that the registration, the household's forms and the certificate
requests cannot drift apart (they had two postal-code patterns, two ages of
majority and a bare ``120``). This module imports no app of the project: models
and forms of accounts, households and procedures import it, never the reverse.
Each validator raises Django's ``ValidationError`` with a French message and a
``code``, so that it serves a model field, a form field and a service alike.
"""

import re
from datetime import date

from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

# Civil majority (Code civil, art. 414).
MAJORITY_AGE = 18
# A birth date further back is a typing error (« 1895 » for « 1985 »), not a person.
MAXIMUM_AGE = 120

# Letters of any alphabet, with single spaces, hyphens or apostrophes between them.
NAME_RE = re.compile(r"^[^\W\d_]+(?:[ '’\-][^\W\d_]+)*$")
# French numbers (0X or +33 X, then four pairs, spaced or not), or any international one.
PHONE_RE = re.compile(
    r"^(?:\+33\s?|0)[1-9](?:[\s.\-]?\d{2}){4}$|^\+(?:[1-9]\d{0,2})[\d\s.\-]{6,14}$"
)
# A French postal code; addresses abroad follow their own country's rule.
POSTAL_CODE_RE = re.compile(r"^\d{5}$")
# A number sent in a URL, a hidden field or a header: ASCII digits, at most nine.
SMALL_NUMBER_RE = re.compile(r"[0-9]{1,9}")

NAME_MESSAGE = _("Utilisez uniquement des lettres, espaces, traits d'union et apostrophes.")
PHONE_MESSAGE = _("Saisissez un numéro de téléphone valide, par exemple 06 12 34 56 78.")
POSTAL_CODE_MESSAGE = _("Le code postal comporte 5 chiffres.")
FUTURE_BIRTH_MESSAGE = _("La date de naissance ne peut pas être dans le futur.")
TOO_OLD_MESSAGE = _("Vérifiez l'année de naissance.")


def small_number(text: str | None) -> int | None:
    """The number ``text`` spells in ASCII digits (a primary key, a count), or None.

    Not ``str.isdigit()``: it is true for « ² » or « ① », which ``int()`` refuses (a
    500), and for thousands of digits, which ``int()`` refuses too; nine digits fit an
    integer column."""
    if text is None or not SMALL_NUMBER_RE.fullmatch(text):
        return None
    return int(text)


def normalize_spaces(value: str) -> str:
    """One space between words, none around: « Jean  Pierre » is « Jean Pierre »."""
    return " ".join(value.split())


def validate_name(value: str) -> None:
    if value and not NAME_RE.match(value):
        raise ValidationError(NAME_MESSAGE, code="name")


def clean_name(value: str) -> str:
    """A name as typed, spaces normalized, refused unless it is letters and separators."""
    value = normalize_spaces(value)
    if not NAME_RE.match(value):
        raise ValidationError(NAME_MESSAGE, code="name")
    return value


def clean_last_name(value: str, *, max_length: int) -> str:
    """A last name in capitals, as the town writes it. Capitals can be longer than what
    was typed (« ß » is « SS »): the field's limit holds for what is stored, with the
    field's own French message, never as a database error."""
    name = clean_name(value).upper()
    MaxLengthValidator(max_length)(name)
    return name


def validate_phone(value: str) -> None:
    if value and not PHONE_RE.match(value.strip()):
        raise ValidationError(PHONE_MESSAGE, code="phone")


def validate_postal_code(value: str) -> None:
    if value and not POSTAL_CODE_RE.match(value.strip()):
        raise ValidationError(POSTAL_CODE_MESSAGE, code="postal_code")


def years_between(born: date, today: date) -> int:
    """Completed years: someone born on 29 February has a birthday on 1 March in common
    years."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def is_of_age(born: date, today: date) -> bool:
    return years_between(born, today) >= MAJORITY_AGE


def validate_birth_date(born: date, today: date) -> None:
    """A birth date in the past, and of someone who may be alive (under ``MAXIMUM_AGE``)."""
    if born > today:
        raise ValidationError(FUTURE_BIRTH_MESSAGE, code="future")
    if years_between(born, today) >= MAXIMUM_AGE:
        raise ValidationError(TOO_OLD_MESSAGE, code="too_old")
