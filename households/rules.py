"""What makes a member's data acceptable; forms and services share these checks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.forms import NAME_RE
from households.ages import age_on, is_adult
from households.models import Category, Member, Relationship

OLDEST_AGE = 120

RELATIONSHIPS = {
    Category.ADULT: (
        Relationship.SPOUSE,
        Relationship.CHILD,
        Relationship.PARENT,
        Relationship.OTHER,
    ),
    Category.CHILD: (Relationship.CHILD, Relationship.OTHER),
}

NAME_MESSAGE = _("Utilisez uniquement des lettres, espaces, traits d'union et apostrophes.")
FUTURE_MESSAGE = _("La date de naissance ne peut pas être dans le futur.")
TOO_OLD_MESSAGE = _("Vérifiez l'année de naissance.")
NOT_ADULT_MESSAGE = _(
    "Cette personne a moins de 18 ans : un adulte est né il y a 18 ans ou plus. "
    "Déclarez-la comme enfant avec « Ajouter un enfant »."
)
NOT_CHILD_MESSAGE = _(
    "Cette personne a 18 ans ou plus : un enfant est né il y a moins de 18 ans. "
    "Déclarez-la comme adulte avec « Ajouter un adulte »."
)
RELATIONSHIP_MESSAGE = _("Choisissez un lien proposé dans la liste.")


def normalize_name(value: str) -> str:
    return " ".join(value.split())


def check_name(value: str) -> None:
    """Letters of any alphabet, with spaces, hyphens and apostrophes between them."""
    if value and not NAME_RE.match(value):
        raise ValidationError(NAME_MESSAGE, code="name")


def check_birth_date(born: date, *, category: Category | None, today: date | None = None) -> None:
    """A past date, and one that matches the category when there is one."""
    today = today or timezone.localdate()
    if born > today:
        raise ValidationError(FUTURE_MESSAGE, code="future")
    if age_on(born, today) >= OLDEST_AGE:
        raise ValidationError(TOO_OLD_MESSAGE, code="too_old")
    adult = is_adult(born, today)
    if category == Category.ADULT and not adult:
        raise ValidationError(NOT_ADULT_MESSAGE, code="not_adult")
    if category == Category.CHILD and adult:
        raise ValidationError(NOT_CHILD_MESSAGE, code="not_child")


def check_relationship(value: str, *, category: Category) -> None:
    if value not in RELATIONSHIPS[category]:
        raise ValidationError(RELATIONSHIP_MESSAGE, code="relationship")


def validate_member(member: Member, *, category: Category, holder: bool = False) -> None:
    """Raise one ValidationError naming every field at fault, as forms do.

    The model's own checks (required, length, choices, email) come first, then
    the rules of the town hall: names, birth date against the category, link
    (fixed for the ``holder``, and never « titulaire » for anyone else).
    """
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
        errors: dict[str, list] = {}
    except ValidationError as error:
        errors = error.error_dict
    checks = [("last_name", check_name, {}), ("first_names", check_name, {})]
    if not holder:
        checks.append(("relationship", check_relationship, {"category": category}))
    if member.birth_date is not None:
        checks.append(("birth_date", check_birth_date, {"category": category}))
    for field, check, options in checks:
        if field in errors:
            continue
        try:
            check(getattr(member, field), **options)
        except ValidationError as error:
            errors[field] = error.error_list
    if errors:
        raise ValidationError(errors)
