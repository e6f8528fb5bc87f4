import html
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from households import services
from households.models import HouseholdEvent
from tests.households.factories import AdultFactory, born_years_ago


def edit_url(member):
    return reverse("households:member_edit", args=[member.pk])


def child_post(child, **overrides):
    data = {
        "sex": child.sex,
        "last_name": child.last_name,
        "first_names": child.first_names,
        "birth_date": child.birth_date.isoformat(),
        "birth_place": child.birth_place,
        "relationship": child.relationship,
        "school": child.school,
        "school_class": child.school_class,
    }
    data.update(overrides)
    return data


# The service


@pytest.mark.django_db
def test_member_update_keeps_old_and_new_values_in_the_history(child, citizen):
    changes = services.member_update(member=child, by=citizen, first_names="Zoé Marie", school="")

    assert changes == {
        "first_names": {"old": "Zoé", "new": "Zoé Marie"},
        "school": {"old": "École Jules-Ferry", "new": ""},
    }
    child.refresh_from_db()
    assert child.first_names == "Zoé Marie"
    event = HouseholdEvent.objects.get(member=child, action=HouseholdEvent.Action.MEMBER_UPDATED)
    assert event.actor == citizen
    assert event.member_name == "Zoé Marie MARTIN"
    assert event.changes == changes


@pytest.mark.django_db
def test_member_update_writes_nothing_when_nothing_changes(child, citizen):
    assert services.member_update(member=child, by=citizen, first_names="Zoé") == {}
    assert not HouseholdEvent.objects.filter(member=child).exists()


@pytest.mark.django_db
def test_member_update_keeps_a_child_a_child(child, citizen):
    with pytest.raises(ValidationError) as refusal:
        services.member_update(member=child, by=citizen, birth_date=date(1990, 1, 1))
    assert refusal.value.error_dict["birth_date"][0].code == "not_child"
    child.refresh_from_db()
    assert child.birth_date != date(1990, 1, 1)
    assert not HouseholdEvent.objects.filter(member=child).exists()


@pytest.mark.django_db
def test_member_update_refuses_fields_of_the_other_category(child, citizen):
    with pytest.raises(ValueError, match="profession"):
        services.member_update(member=child, by=citizen, profession="Pilote")


@pytest.mark.django_db
def test_nobody_becomes_the_holder_through_member_update(household, citizen):
    spouse = AdultFactory(household=household)
    with pytest.raises(ValidationError) as refusal:
        services.member_update(member=spouse, by=citizen, relationship="titulaire")
    assert "relationship" in refusal.value.error_dict


@pytest.mark.django_db
def test_the_holder_sheet_changes_only_what_the_account_does_not_hold(holder, citizen):
    services.member_update(member=holder, by=citizen, birth_place="Nantes", profession="Libraire")
    holder.refresh_from_db()
    assert (holder.birth_place, holder.profession) == ("Nantes", "Libraire")

    with pytest.raises(ValueError, match="first_names"):
        services.member_update(member=holder, by=citizen, first_names="Camille Louise")


# The views


@pytest.mark.django_db
def test_the_sheet_shows_everything_declared_with_modify_and_remove(citizen_client, child):
    response = citizen_client.get(child.get_absolute_url())

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<h1>Zoé MARTIN</h1>" in page
    for text in (
        "Fiche de l'enfant",
        "Fille",
        "Enfant",
        "École Jules-Ferry",
        "CM1",
        "9 ans",
        "Modifier",
        "Retirer du foyer",
        "Lieu de naissance",
        "Non renseigné",
    ):
        assert text in page
    assert edit_url(child) in page


@pytest.mark.django_db
def test_the_holder_sheet_offers_no_removal(citizen_client, holder):
    page = html.unescape(citizen_client.get(holder.get_absolute_url()).content.decode())
    assert "Titulaire du compte" in page
    assert "Madame" in page
    assert "Retirer du foyer" not in page


@pytest.mark.django_db
def test_the_edit_form_is_pre_filled(citizen_client, child):
    form = citizen_client.get(edit_url(child)).context["form"]
    assert form["first_names"].value() == "Zoé"
    assert form["last_name"].value() == "MARTIN"
    assert form["school_class"].value() == "CM1"
    assert form["birth_date"].value() == child.birth_date


@pytest.mark.django_db
def test_editing_shows_the_changes_before_and_after_then_saves_them_on_validate(
    citizen_client, child
):
    data = child_post(child, first_names="Zoé Marie", school_class="CM2")

    review = citizen_client.post(edit_url(child), {**data, "step": "review"})

    assert review.templates[0].name == "households/review.html"
    rows = review.context["rows"]
    assert rows == [
        {"label": "Prénoms", "old": "Zoé", "new": "Zoé Marie"},
        {"label": "Classe", "old": "CM1", "new": "CM2"},
    ]
    assert "Vérifiez les modifications" in html.unescape(review.content.decode())
    child.refresh_from_db()
    assert child.first_names == "Zoé"

    done = citizen_client.post(edit_url(child), {**data, "step": "confirm"})

    assert done.status_code == 302
    assert done["Location"] == child.get_absolute_url()
    child.refresh_from_db()
    assert (child.first_names, child.school_class) == ("Zoé Marie", "CM2")
    event = HouseholdEvent.objects.get(member=child)
    assert set(event.changes) == {"first_names", "school_class"}
    sheet = html.unescape(citizen_client.get(done["Location"]).content.decode())
    assert "Les modifications sont enregistrées." in sheet


@pytest.mark.django_db
def test_submitting_without_change_says_so_and_saves_nothing(citizen_client, child):
    response = citizen_client.post(edit_url(child), {**child_post(child), "step": "review"})

    assert response.status_code == 302
    assert response["Location"] == child.get_absolute_url()
    page = html.unescape(citizen_client.get(response["Location"]).content.decode())
    assert "Vous n'avez rien modifié." in page
    assert not HouseholdEvent.objects.filter(member=child).exists()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth_date": "1990-01-01"}, "birth_date", "Cette personne a 18 ans ou plus"),
        ({"birth_date": "2999-01-01"}, "birth_date", "ne peut pas être dans le futur"),
        ({"first_names": ""}, "first_names", "Ce champ est obligatoire."),
        ({"last_name": "M" * 300}, "last_name", "au plus 150 caractères"),
        ({"last_name": "Mart1n"}, "last_name", "Utilisez uniquement des lettres"),
    ],
)
def test_bad_input_on_edit_is_refused_with_a_message_and_changes_nothing(
    citizen_client, child, overrides, field, message
):
    response = citizen_client.post(
        edit_url(child), {**child_post(child, **overrides), "step": "confirm"}
    )

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    child.refresh_from_db()
    assert child.first_names == "Zoé"
    assert not HouseholdEvent.objects.filter(member=child).exists()


@pytest.mark.django_db
def test_an_adult_edit_refuses_a_birth_date_of_a_minor(citizen_client, household):
    spouse = AdultFactory(household=household, first_names="Thomas")
    data = {
        "sex": "M",
        "last_name": "MARTIN",
        "first_names": "Thomas",
        "birth_date": born_years_ago(17).isoformat(),
        "relationship": "conjoint",
        "step": "confirm",
    }
    response = citizen_client.post(edit_url(spouse), data)
    assert "Cette personne a moins de 18 ans" in response.context["form"].errors["birth_date"][0]
    spouse.refresh_from_db()
    assert spouse.birth_date == date(1983, 9, 21)


@pytest.mark.django_db
def test_the_holder_edit_form_sends_identity_changes_to_the_account_data(citizen_client, holder):
    response = citizen_client.get(edit_url(holder))

    form = response.context["form"]
    assert set(form.fields) == {"birth_place", "profession"}
    assert reverse("households:account_edit") in response.content.decode()

    done = citizen_client.post(
        edit_url(holder),
        {
            "birth_place": "Nantes",
            "profession": "Libraire",
            "first_names": "Pirate",
            "step": "confirm",
        },
    )
    assert done.status_code == 302
    holder.refresh_from_db()
    assert (holder.birth_place, holder.profession, holder.first_names) == (
        "Nantes",
        "Libraire",
        "Camille",
    )
