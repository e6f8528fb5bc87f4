"""A last name is stored in capitals; what grows in capitals (« ß » → « SS ») beyond the
field's limit is refused in French beside the field, on every public form that asks it."""

import pytest

from accounts.forms import RegistrationForm
from procedures.civil_status import CivilStatusForm
from procedures.models import Certificate

pytestmark = pytest.mark.django_db

LONG = "ß" * 150


def test_registration_refuses_a_last_name_too_long_in_capitals():
    form = RegistrationForm(data={"last_name": LONG})
    form.is_valid()
    assert "caractères" in form.errors["last_name"][0]


def test_the_civil_status_form_refuses_names_too_long_in_capitals():
    """It was a plain form: 300 capitals reached the database (a 500 on PostgreSQL)."""
    form = CivilStatusForm(
        data={"subject_last_name": LONG, "last_name": LONG}, certificate=Certificate.BIRTH
    )
    form.is_valid()
    assert "caractères" in form.errors["subject_last_name"][0]
    assert "caractères" in form.errors["last_name"][0]
