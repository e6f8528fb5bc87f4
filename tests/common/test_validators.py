"""The shared checks of names, phones, postal codes and ages (common/validators.py)."""

import ast
from datetime import date, timedelta
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from common import validators
from common.validators import (
    MAJORITY_AGE,
    MAXIMUM_AGE,
    clean_name,
    is_of_age,
    small_number,
    validate_birth_date,
    validate_name,
    validate_phone,
    validate_postal_code,
    years_between,
)
from households.ages import majority_cutoff

COMMON = Path(validators.__file__).parent
PROJECT_APPS = {
    "accounts",
    "backoffice",
    "citizen_portal",
    "demo",
    "households",
    "notifications",
    "payments",
    "privacy",
    "procedures",
}
letters = st.text(alphabet=st.characters(categories=["Lu", "Ll"]), min_size=1, max_size=12)
days = st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 12, 31))


def refused(validate, value) -> str | None:
    """The code of the refusal, or None when the value passes."""
    try:
        validate(value)
    except ValidationError as error:
        return error.code
    return None


def test_the_ground_floor_imports_no_app_of_the_project():
    for module in COMMON.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text())):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not {name.split(".")[0] for name in names} & PROJECT_APPS, module.name


@given(st.lists(letters, min_size=1, max_size=4), st.sampled_from([" ", "-", "'", "’"]))
def test_letters_of_any_alphabet_joined_by_one_separator_are_a_name(words, separator):
    assert refused(validate_name, separator.join(words)) is None


@pytest.mark.parametrize("typed", ["Jean2", "Jean--Pierre", "-Anne", "O'", "Léa_Marie", "@"])
def test_digits_doubled_or_dangling_separators_are_not_a_name(typed):
    assert refused(validate_name, typed) == "name"


def test_a_name_is_cleaned_of_extra_spaces_before_it_is_checked():
    assert clean_name("  Jean   Pierre ") == "Jean Pierre"
    with pytest.raises(ValidationError):
        clean_name("   ")


@given(
    st.integers(min_value=1, max_value=9),
    st.lists(st.integers(min_value=0, max_value=99), min_size=4, max_size=4),
    st.sampled_from(["", " ", ".", "-"]),
    st.sampled_from(["0", "+33", "+33 "]),
)
def test_a_french_number_in_any_usual_writing_is_a_phone(first, pairs, separator, prefix):
    number = prefix + str(first) + "".join(f"{separator}{pair:02d}" for pair in pairs)
    assert refused(validate_phone, number) is None


@pytest.mark.parametrize("typed", ["06 12 34 56", "00 12 34 56 78", "téléphone", "+0 123 456"])
def test_a_short_or_lettered_number_is_not_a_phone(typed):
    assert refused(validate_phone, typed) == "phone"


def test_an_empty_phone_or_postal_code_is_left_to_the_field_s_required():
    assert refused(validate_phone, "") is None
    assert refused(validate_postal_code, "") is None


@given(st.from_regex(r"\A\d{5}\Z"))
def test_five_digits_are_a_postal_code(code):
    assert refused(validate_postal_code, code) is None


@pytest.mark.parametrize("typed", ["7500", "750011", "75OO1", "F-75001"])
def test_anything_else_is_not_a_french_postal_code(typed):
    assert refused(validate_postal_code, typed) == "postal_code"


@given(days, days)
def test_years_between_counts_completed_years(born, today):
    years = years_between(born, today)
    if today >= born:
        assert years >= 0
        assert years_between(born, today + timedelta(days=366)) >= years + 1
    assert is_of_age(born, today) == (years >= MAJORITY_AGE)


@given(days)
def test_coming_of_age_matches_the_household_s_cutoff(today):
    cutoff = majority_cutoff(today)
    assert is_of_age(cutoff, today)
    assert not is_of_age(cutoff + timedelta(days=1), today)


def test_a_birth_date_is_past_and_under_the_maximum_age():
    today = date(2026, 6, 15)
    assert refused(lambda born: validate_birth_date(born, today), today) is None
    assert refused(lambda born: validate_birth_date(born, today), date(2026, 6, 16)) == "future"
    oldest = date(2026 - MAXIMUM_AGE, 6, 16)
    assert refused(lambda born: validate_birth_date(born, today), oldest) is None
    too_old = date(2026 - MAXIMUM_AGE, 6, 15)
    assert refused(lambda born: validate_birth_date(born, today), too_old) == "too_old"


@pytest.mark.parametrize(
    ("text", "number"),
    [("0", 0), ("42", 42), ("999999999", 999_999_999), ("²", None), ("①", None), ("٣", None)]
    + [("", None), (None, None), (" 4", None), ("-1", None), ("1" * 10, None), ("9" * 5000, None)],
)
def test_small_number_reads_ascii_digits_only(text, number):
    assert small_number(text) == number


def test_a_last_name_longer_in_capitals_than_typed_is_refused_in_french_not_stored():
    """« ß » is « SS » in capitals: 150 of them would be 300 characters in a column of
    150 (a database error, a 500 on PostgreSQL) on registration, the civil-status forms
    and the appointments."""
    from django.core.exceptions import ValidationError

    from common.validators import clean_last_name

    assert clean_last_name("Strauß", max_length=150) == "STRAUSS"
    with pytest.raises(ValidationError) as refused:
        clean_last_name("ß" * 150, max_length=150)
    assert "caractères" in str(refused.value.messages[0])
