"""Field kinds through the citizen's form: the members of the household concerned (« les
enfants concernés »), conditions on the person concerned, and the inputs' types."""

import pytest
from django.urls import reverse

from procedures.models import (
    Condition,
    MembersOf,
    Operator,
    Procedure,
    ProcedureField,
    Request,
)
from tests.households.factories import ChildFactory, born_years_ago
from tests.procedures.factories import FieldFactory, ProcedureFactory

pytestmark = pytest.mark.django_db


def test_the_children_concerned_are_chosen_among_the_household_s_children(
    citizen_client, household
):
    procedure = ProcedureFactory(concerns=Procedure.Concerns.HOUSEHOLD)
    FieldFactory(
        procedure=procedure,
        name="enfants",
        label="Les enfants concernés",
        kind=ProcedureField.Kind.MEMBERS,
        members_of=MembersOf.CHILDREN,
    )
    lea = ChildFactory(household=household, first_names="Léa", birth_date=born_years_ago(8))
    hugo = ChildFactory(household=household, first_names="Hugo", birth_date=born_years_ago(5))
    url = reverse("procedures:start", args=[procedure.slug])
    page = citizen_client.get(url).content.decode()
    assert "Léa MARTIN" in page and "Hugo MARTIN" in page
    assert household.account.first_name not in page.split("Les enfants concernés")[1][:400]
    response = citizen_client.post(url, {})
    assert response.context["form"].errors["f_enfants"] == ["Cochez au moins une personne."]
    citizen_client.post(url, {"f_enfants": [str(lea.pk), str(hugo.pk)]})
    answers = Request.objects.get().answers["enfants"]
    assert [entry["nom"] for entry in answers] == ["Léa MARTIN", "Hugo MARTIN"]
    summary = citizen_client.get(reverse("procedures:summary", args=[Request.objects.get().pk]))
    assert "Léa MARTIN, Hugo MARTIN" in summary.content.decode()


def test_a_question_for_a_young_child_follows_the_person_concerned(citizen_client, household):
    procedure = ProcedureFactory(concerns=Procedure.Concerns.CHILD)
    nap = FieldFactory(procedure=procedure, name="sieste", label="Fait la sieste", order=1)
    Condition.objects.create(
        procedure=procedure, field=nap, operator=Operator.SUBJECT_UNDER, value="6"
    )
    young = ChildFactory(household=household, first_names="Hugo", birth_date=born_years_ago(4))
    older = ChildFactory(household=household, first_names="Léa", birth_date=born_years_ago(9))
    url = reverse("procedures:start", args=[procedure.slug])
    page = citizen_client.get(url).content.decode()
    assert "Seulement si la personne concernée a moins de 6 ans." in page
    citizen_client.post(url, {"member": older.pk, "f_sieste": "oui"})
    assert "sieste" not in Request.objects.get().answers
    Request.objects.all().delete()
    response = citizen_client.post(url, {"member": young.pk})
    assert "f_sieste" in response.context["form"].errors
    citizen_client.post(url, {"member": young.pk, "f_sieste": "oui"})
    assert Request.objects.get().answers["sieste"] == "oui"


@pytest.mark.parametrize(
    ("kind", "expected"),
    [
        (ProcedureField.Kind.PHONE, 'type="tel"'),
        (ProcedureField.Kind.EMAIL, 'autocomplete="email"'),
        (ProcedureField.Kind.POSTAL_CODE, 'autocomplete="postal-code"'),
        (ProcedureField.Kind.TOWN, 'autocomplete="address-level2"'),
        (ProcedureField.Kind.TIME, 'type="time"'),
        (ProcedureField.Kind.DATE, 'type="date"'),
        (ProcedureField.Kind.INTEGER, 'inputmode="numeric"'),
        (ProcedureField.Kind.NUMBER, 'inputmode="decimal"'),
        (ProcedureField.Kind.YES_NO, 'type="radio"'),
    ],
)
def test_each_kind_has_its_input(citizen_client, kind, expected):
    procedure = ProcedureFactory()
    FieldFactory(procedure=procedure, name="q", label="Question", kind=kind)
    page = citizen_client.get(reverse("procedures:start", args=[procedure.slug]))
    assert expected in page.content.decode()


@pytest.mark.parametrize(
    ("kind", "given", "error"),
    [
        (ProcedureField.Kind.RNA, "12345", "W suivi de 9 chiffres"),
        (ProcedureField.Kind.IBAN, "FR7630006000011234567890188", "n'est pas valide"),
        (ProcedureField.Kind.BIC, "ABC", "8 ou 11"),
        (ProcedureField.Kind.POSTAL_CODE, "1234", "5 chiffres"),
        (ProcedureField.Kind.TIME, "25:99", "heure valide"),
    ],
)
def test_a_wrong_value_gets_its_french_message_next_to_the_field(
    citizen_client, kind, given, error
):
    procedure = ProcedureFactory()
    FieldFactory(procedure=procedure, name="q", label="Question", kind=kind)
    url = reverse("procedures:start", args=[procedure.slug])
    response = citizen_client.post(url, {"f_q": given})
    assert error in response.context["form"].errors["f_q"][0]
    assert not Request.objects.exists()
