from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from households.ages import age_on, is_adult, majority_cutoff
from households.models import Category, Member
from tests.households.factories import ChildFactory

PARIS = ZoneInfo("Europe/Paris")


def test_one_is_an_adult_from_the_eighteenth_birthday():
    assert not is_adult(date(2008, 6, 15), date(2026, 6, 14))
    assert is_adult(date(2008, 6, 15), date(2026, 6, 15))


def test_someone_born_on_29_february_comes_of_age_on_1_march_in_a_common_year():
    born = date(2008, 2, 29)
    assert not is_adult(born, date(2026, 2, 28))
    assert is_adult(born, date(2026, 3, 1))
    assert age_on(born, date(2026, 2, 28)) == 17


def test_the_cutoff_of_a_29_february_falls_on_the_28th():
    assert majority_cutoff(date(2028, 2, 29)) == date(2010, 2, 28)


@pytest.mark.parametrize(
    "born",
    [date(2008, 2, 28), date(2008, 2, 29), date(2008, 3, 1), date(2010, 2, 28), date(2010, 3, 1)],
)
@pytest.mark.parametrize("today", [date(2026, 2, 28), date(2026, 3, 1), date(2028, 2, 29)])
def test_the_cutoff_and_the_age_always_agree(born, today):
    assert is_adult(born, today) == (age_on(born, today) >= 18)


@pytest.mark.django_db
def test_a_child_becomes_an_adult_on_their_birthday_without_anyone_touching_the_data(household):
    with time_machine.travel(datetime(2026, 6, 14, 12, tzinfo=PARIS), tick=False):
        teen = ChildFactory(household=household, birth_date=date(2008, 6, 15))
        assert not teen.is_adult
        assert teen.category == Category.CHILD
        assert list(household.members.children()) == [teen]
        assert teen not in household.members.adults()

    with time_machine.travel(datetime(2026, 6, 15, 0, 5, tzinfo=PARIS), tick=False):
        teen = Member.objects.get(pk=teen.pk)
        assert teen.is_adult
        assert teen.category == Category.ADULT
        assert teen in household.members.adults()
        assert not household.members.children().exists()


@pytest.mark.django_db
def test_the_day_follows_the_town_hall_clock_not_utc(household):
    # 23:30 in Paris on the 14th is 21:30 UTC, still the 14th; 00:30 on the 15th is 22:30 UTC
    # on the 14th: the birthday is Paris time.
    teen = ChildFactory(household=household, birth_date=date(2008, 6, 15))
    with time_machine.travel(datetime(2026, 6, 15, 0, 30, tzinfo=PARIS), tick=False):
        assert Member.objects.get(pk=teen.pk).is_adult
