from datetime import date
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from households.models import Member, Relationship, Sex
from households.services import household_get_or_create

DATA = Path(__file__).resolve().parent.parent / "data"


def upload(
    name: str, content: bytes | None = None, source: str | None = None
) -> SimpleUploadedFile:
    data = content if content is not None else (DATA / (source or name)).read_bytes()
    return SimpleUploadedFile(name, data)


@pytest.fixture
def household(citizen):
    return household_get_or_create(account=citizen)


@pytest.fixture
def child(household):
    return Member.objects.create(
        household=household,
        relationship=Relationship.CHILD,
        sex=Sex.FEMALE,
        last_name=household.account.last_name,
        first_names="Léa",
        birth_date=date(2018, 5, 2),
    )
