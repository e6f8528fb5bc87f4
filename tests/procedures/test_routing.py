"""Routing: « École souhaitée » sends a school registration to that school's group; the
clerk's queue, the request's page (404 outside) and the households follow it."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from backoffice.roles import SERVICE_PERMISSIONS
from households.models import Household
from households.selectors import households_for_staff
from households.services import household_get_or_create
from procedures.models import ProcedureField, ProcedureRoute
from tests.factories import ClerkFactory
from tests.procedures.decisions_helpers import sent_request
from tests.procedures.factories import FieldFactory, ProcedureFactory, ThemeFactory

pytestmark = pytest.mark.django_db
SCHOOLS = ("École Jules-Ferry", "École Louise-Michel")


def school_group(name: str) -> Group:
    group = Group.objects.create(name=f"Service Scolaire — {name}")
    for dotted in SERVICE_PERMISSIONS:
        app_label, codename = dotted.split(".")
        group.permissions.add(
            Permission.objects.get(content_type__app_label=app_label, codename=codename)
        )
    return group


@pytest.fixture
def world(citizen, other_citizen):
    theme = ThemeFactory(title="Scolaire", slug="routage-scolaire")
    theme_group = school_group("général")
    theme.groups.add(theme_group)
    registration = ProcedureFactory(
        theme=theme, title="Inscription scolaire", routing_field="ecole"
    )
    FieldFactory(
        procedure=registration,
        name="ecole",
        label="École souhaitée",
        kind=ProcedureField.Kind.CHOICE,
        choices="\n".join(SCHOOLS),
    )
    groups = [school_group(school) for school in SCHOOLS]
    for school, group in zip(SCHOOLS, groups, strict=True):
        ProcedureRoute.objects.create(procedure=registration, answer=school, group=group)
    clerks = []
    for group in groups:
        clerk = ClerkFactory()
        clerk.groups.add(group)
        clerks.append(clerk)
    household_get_or_create(account=citizen)
    household_get_or_create(account=other_citizen)
    ferry = sent_request(citizen, registration, {"ecole": SCHOOLS[0]})
    michel = sent_request(other_citizen, registration, {"ecole": SCHOOLS[1]})
    return {
        "groups": groups,
        "clerks": clerks,
        "ferry": ferry,
        "michel": michel,
        "theme_group": theme_group,
    }


def test_the_answer_chooses_the_group_written_on_the_request(world):
    assert world["ferry"].service_group == world["groups"][0]
    assert world["michel"].service_group == world["groups"][1]


def test_each_school_s_clerk_sees_its_own_and_gets_404_for_the_other(client, world):
    client.force_login(world["clerks"][0])
    listing = client.get(reverse("admin:procedures_request_changelist"), {"state": "all"})
    numbers = {row.number for row in listing.context["cl"].result_list}
    assert numbers == {world["ferry"].number}
    own = reverse("admin:procedures_request_change", args=[world["ferry"].pk])
    other = reverse("admin:procedures_request_change", args=[world["michel"].pk])
    assert client.get(own).status_code == 200
    assert client.get(other).status_code == 404
    transition = reverse("admin:procedures_request_transition", args=[world["michel"].pk, "start"])
    assert client.post(transition).status_code == 404


def test_the_theme_s_group_no_longer_sees_the_routed_requests(client, world):
    clerk = ClerkFactory()
    clerk.groups.add(world["theme_group"])
    client.force_login(clerk)
    other = reverse("admin:procedures_request_change", args=[world["ferry"].pk])
    assert client.get(other).status_code == 404


def test_a_school_clerk_reads_only_the_households_of_its_requests(world, citizen):
    visible = households_for_staff(world["clerks"][0], Household.objects.all())
    assert list(visible.values_list("account", flat=True)) == [citizen.pk]
