"""Members made straight in the database, for tests that need many or need them fast."""

from datetime import date, timedelta

import factory
from django.utils import timezone

from households.models import Member, Relationship, Sex


def born_years_ago(years: int, *, days: int = 0) -> date:
    """A birth date ``years`` years back from today, then ``days`` earlier still."""
    today = timezone.localdate()
    try:
        born = today.replace(year=today.year - years)
    except ValueError:  # 29 February
        born = today.replace(year=today.year - years, day=28)
    return born - timedelta(days=days)


class ChildFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    relationship = Relationship.CHILD
    sex = Sex.FEMALE
    last_name = "MARTIN"
    first_names = factory.Sequence(lambda n: f"Enfant {'ABCDEFGHJK'[n % 10]}")
    birth_date = factory.LazyFunction(lambda: born_years_ago(9))
    school = "École Jules-Ferry"
    school_class = "CM1"


class AdultFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Member

    relationship = Relationship.SPOUSE
    sex = Sex.MALE
    last_name = "MARTIN"
    first_names = factory.Sequence(lambda n: f"Adulte {'ABCDEFGHJK'[n % 10]}")
    birth_date = date(1983, 9, 21)
    email = "adulte@example.org"
    profession = "Infirmier"
