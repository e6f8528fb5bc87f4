from datetime import datetime
from zoneinfo import ZoneInfo

import pytest

from appointments import slots
from appointments.models import Agenda
from tests.appointments import factories

PARIS = ZoneInfo("Europe/Paris")


def paris(*args) -> datetime:
    return datetime(*args, tzinfo=PARIS)


def fresh(agenda: Agenda) -> Agenda:
    """The agenda with its hours and closures, as the views read it."""
    return slots.with_calendar(Agenda.objects.filter(pk=agenda.pk)).get()


@pytest.fixture
def agenda(db):
    return fresh(factories.agenda())


@pytest.fixture
def identity_agenda(db):
    return fresh(
        factories.agenda(slug="titres-identite-tilleuls", kind=Agenda.Kind.IDENTITY, desks=2)
    )
