"""What makes a member's data acceptable; forms and services share these checks."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from common.validators import MAJORITY_AGE, validate_birth_date
from households.ages import is_adult
from households.models import Category, Member, Relationship

RELATIONSHIPS = {
    Category.ADULT: (
        Relationship.SPOUSE,
        Relationship.CHILD,
        Relationship.PARENT,
        Relationship.OTHER,
    ),
    Category.CHILD: (Relationship.CHILD, Relationship.OTHER),
}

NOT_ADULT_MESSAGE = format_lazy(
    _(
        "Cette personne a moins de {majority} ans : un adulte est né il y a {majority} ans "
        "ou plus. Déclarez-la comme enfant avec « Ajouter un enfant »."
    ),
    majority=MAJORITY_AGE,
)
NOT_CHILD_MESSAGE = format_lazy(
    _(
        "Cette personne a {majority} ans ou plus : un enfant est né il y a moins de "
        "{majority} ans. Déclarez-la comme adulte avec « Ajouter un adulte »."
    ),
    majority=MAJORITY_AGE,
)
RELATIONSHIP_MESSAGE = _("Choisissez un lien proposé dans la liste.")


def check_birth_date(born: date, *, category: Category | None, today: date | None = None) -> None:
    """A past date, and one that matches the category when there is one."""
    today = today or timezone.localdate()
    validate_birth_date(born, today)
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

    The model's own checks (required, length, choices, email, names, phone) come
    first, then the rules of the town hall: birth date against the category, link
    (fixed for the ``holder``, and never « titulaire » for anyone else).
    """
    try:
        member.full_clean(exclude=["household"], validate_unique=False, validate_constraints=False)
        errors: dict[str, list] = {}
    except ValidationError as error:
        errors = error.error_dict
    # Names are checked by the model's own validators (common.validators) above.
    checks = []
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
