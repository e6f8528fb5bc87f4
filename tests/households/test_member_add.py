import html
import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from households import services
from households.models import Category, HouseholdEvent, Member, Relationship
from tests.households.factories import born_years_ago

ADD_CHILD = reverse("households:member_add_child")
ADD_ADULT = reverse("households:member_add_adult")


def child_data(**overrides):
    data = {
        "sex": "F",
        "last_name": "Martin",
        "first_names": "Zoé Anne",
        "birth_date": born_years_ago(7).isoformat(),
        "birth_place": "Villeneuve-sur-Example",
        "relationship": "enfant",
        "school": "École Jules-Ferry",
        "school_class": "CE1",
    }
    data.update(overrides)
    return data


def adult_data(**overrides):
    data = {
        "sex": "M",
        "last_name": "N'Diaye",
        "first_names": "Jean-Éric",
        "birth_date": "1983-09-21",
        "birth_place": "Dakar (Sénégal)",
        "relationship": "conjoint",
        "email": "jean-eric@example.org",
        "phone": "06 98 76 54 32",
        "profession": "Infirmier",
    }
    data.update(overrides)
    return data


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


def add_child(household, by, **overrides):
    data = {
        "relationship": Relationship.CHILD,
        "sex": "M",
        "last_name": "MARTIN",
        "first_names": "Hugo",
        "birth_date": born_years_ago(7),
    }
    data.update(overrides)
    return services.member_add(household=household, by=by, category=Category.CHILD, **data)


# The service


@pytest.mark.django_db
def test_member_add_declares_a_child_and_writes_the_history(household, citizen):
    hugo = add_child(household, citizen, school="École Jules-Ferry", school_class="CE1")

    assert hugo.household == household
    assert not hugo.is_adult
    event = HouseholdEvent.objects.get(member=hugo)
    assert event.action == HouseholdEvent.Action.MEMBER_ADDED
    assert event.actor == citizen
    assert event.member_name == "Hugo MARTIN"
    assert event.changes["school_class"] == {"old": "", "new": "CE1"}
    assert "email" not in event.changes


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("category", "years", "code"),
    [(Category.ADULT, 17, "not_adult"), (Category.CHILD, 18, "not_child")],
)
def test_member_add_refuses_a_birth_date_outside_the_category(
    household, citizen, category, years, code
):
    with pytest.raises(ValidationError) as refusal:
        services.member_add(
            household=household,
            by=citizen,
            category=category,
            relationship=Relationship.OTHER,
            sex="F",
            last_name="MARTIN",
            first_names="Zoé",
            birth_date=born_years_ago(years),
        )
    assert refusal.value.error_dict["birth_date"][0].code == code
    assert household.members.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"first_names": ""}, "first_names"),
        ({"last_name": "A" * 300}, "last_name"),
        ({"first_names": "Zo3"}, "first_names"),
        ({"birth_date": date(2999, 1, 1)}, "birth_date"),
        ({"relationship": Relationship.HOLDER}, "relationship"),
        ({"relationship": Relationship.SPOUSE}, "relationship"),
    ],
)
def test_member_add_checks_the_data_again_whoever_calls_it(household, citizen, overrides, field):
    with pytest.raises(ValidationError) as refusal:
        add_child(household, citizen, **overrides)
    assert field in refusal.value.error_dict
    assert household.members.count() == 1
    assert household.events.count() == 1


@pytest.mark.django_db
def test_member_add_refuses_adult_details_on_a_child(household, citizen):
    with pytest.raises(ValueError, match="email"):
        add_child(household, citizen, email="enfant@example.org")


# The views


@pytest.mark.django_db
def test_the_child_form_opens_with_the_account_last_name_and_the_child_link(
    citizen_client, household
):
    response = citizen_client.get(ADD_CHILD)

    assert response.status_code == 200
    form = response.context["form"]
    assert form["last_name"].value() == "MARTIN"
    assert form["relationship"].value() == "enfant"
    page = response.content.decode()
    assert "<h1>Ajouter un enfant</h1>" in page
    assert 'value="MARTIN"' in page
    for label in (
        "Sexe",
        "Fille",
        "Garçon",
        "Prénoms",
        "Date de naissance",
        "Lieu de naissance",
        "École",
        "Classe",
    ):
        assert label in page
    assert "Profession" not in page


@pytest.mark.django_db
def test_the_adult_form_asks_civility_and_contact_but_not_the_school(citizen_client, household):
    page = citizen_client.get(ADD_ADULT).content.decode()
    for label in (
        "Civilité",
        "Madame",
        "Monsieur",
        "Adresse électronique",
        "Téléphone",
        "Profession",
    ):
        assert label in page
    assert "École" not in page
    assert "Titulaire du compte" not in page


@pytest.mark.django_db
def test_adding_a_child_goes_through_a_review_then_validation(citizen_client, household):
    review = citizen_client.post(ADD_CHILD, child_data(step="review"))

    assert review.status_code == 200
    assert review.templates[0].name == "households/review.html"
    page = html.unescape(review.content.decode())
    assert "Vérifiez les informations de l'enfant" in page
    assert "Zoé Anne" in page and "MARTIN" in page and "Fille" in page
    assert "Valider" in page
    assert household.members.count() == 1, "nothing is saved before « Valider »"

    hidden = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', page))
    hidden.pop("csrfmiddlewaretoken")
    assert hidden["first_names"] == "Zoé Anne"
    done = citizen_client.post(ADD_CHILD, {**hidden, "step": "confirm"})

    assert done.status_code == 302
    assert done["Location"] == reverse("households:account")
    zoe = household.members.get(first_names="Zoé Anne")
    assert zoe.last_name == "MARTIN"
    assert zoe.relationship == Relationship.CHILD
    assert zoe.school_class == "CE1"
    assert not zoe.is_adult
    listing = citizen_client.get(done["Location"]).content.decode()
    assert "Zoé Anne MARTIN fait maintenant partie de votre foyer." in listing


@pytest.mark.django_db
def test_going_back_from_the_review_keeps_what_was_typed(citizen_client, household):
    response = citizen_client.post(ADD_CHILD, child_data(step="edit", first_names="Léa"))

    assert response.templates[0].name == "households/member_form.html"
    assert response.context["form"]["first_names"].value() == "Léa"
    assert not response.context["form"].errors
    assert household.members.count() == 1


@pytest.mark.django_db
def test_adding_an_adult_keeps_their_contact_details(citizen_client, household):
    response = citizen_client.post(ADD_ADULT, adult_data(step="confirm"))

    assert response.status_code == 302
    spouse = household.members.get(relationship=Relationship.SPOUSE)
    assert spouse.full_name == "Jean-Éric N'DIAYE"
    assert spouse.email == "jean-eric@example.org"
    assert spouse.profession == "Infirmier"
    assert spouse.is_adult


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "overrides", "field", "message"),
    [
        (
            ADD_ADULT,
            {"birth_date": born_years_ago(17).isoformat()},
            "birth_date",
            "Cette personne a moins de 18 ans",
        ),
        (
            ADD_CHILD,
            {"birth_date": born_years_ago(18).isoformat()},
            "birth_date",
            "Cette personne a 18 ans ou plus",
        ),
        (
            ADD_CHILD,
            {"birth_date": "2999-01-01"},
            "birth_date",
            "La date de naissance ne peut pas être dans le futur.",
        ),
        (ADD_ADULT, {"birth_date": "1850-01-01"}, "birth_date", "Vérifiez l'année de naissance."),
        (ADD_CHILD, {"birth_date": "31/02/2020"}, "birth_date", "Saisissez une date valide."),
        (ADD_CHILD, {"last_name": ""}, "last_name", "Ce champ est obligatoire."),
        (ADD_CHILD, {"first_names": "   "}, "first_names", "Ce champ est obligatoire."),
        (ADD_CHILD, {"last_name": "A" * 300}, "last_name", "au plus 150 caractères"),
        (ADD_ADULT, {"first_names": "B" * 300}, "first_names", "au plus 150 caractères"),
        (ADD_CHILD, {"first_names": "Zoé2"}, "first_names", "Utilisez uniquement des lettres"),
        (ADD_CHILD, {"first_names": "<script>"}, "first_names", "Utilisez uniquement des lettres"),
        (ADD_CHILD, {"sex": ""}, "sex", "Ce champ est obligatoire."),
        (ADD_CHILD, {"relationship": "conjoint"}, "relationship", "Sélectionnez un choix valide."),
        (ADD_ADULT, {"relationship": "titulaire"}, "relationship", "Sélectionnez un choix valide."),
        (ADD_ADULT, {"email": "pas-un-mail"}, "email", "Saisissez une adresse de courriel valide."),
        (ADD_ADULT, {"phone": "12"}, "phone", "numéro de téléphone valide"),
    ],
)
def test_bad_input_gets_a_french_message_beside_its_field_and_saves_nothing(
    citizen_client, household, url, overrides, field, message
):
    data = (adult_data if url == ADD_ADULT else child_data)(step="confirm", **overrides)

    response = citizen_client.post(url, data)

    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)[field])
    page = response.content.decode()
    assert "Le formulaire contient" in page, "the error summary is shown"
    assert "<title>Erreur" in page
    assert household.members.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_name", "first_names", "stored_last_name"),
    [
        ("Martin", "Zoé", "MARTIN"),
        ("Dupont-Lefèvre", "Jean-Éric", "DUPONT-LEFÈVRE"),
        ("N'Diaye", "Aïssatou", "N'DIAYE"),
        ("O’Brien", "Seán", "O’BRIEN"),
        ("  de   La Tour ", "Marie  Ève", "DE LA TOUR"),
    ],
)
def test_names_with_accents_hyphens_and_apostrophes_are_accepted(
    citizen_client, household, last_name, first_names, stored_last_name
):
    response = citizen_client.post(
        ADD_CHILD, child_data(step="confirm", last_name=last_name, first_names=first_names)
    )

    assert response.status_code == 302
    member = household.members.get(relationship=Relationship.CHILD)
    assert member.last_name == stored_last_name
    assert member.first_names == " ".join(first_names.split())


@pytest.mark.django_db
def test_a_name_of_150_characters_is_the_longest_accepted(citizen_client, household):
    response = citizen_client.post(ADD_CHILD, child_data(step="confirm", first_names="Zoé" * 50))
    assert response.status_code == 302
    assert Member.objects.filter(first_names="Zoé" * 50).exists()


@pytest.mark.django_db
def test_validate_checks_the_data_again_rather_than_trusting_the_review_page(
    citizen_client, household
):
    data = child_data(step="confirm", birth_date=born_years_ago(18).isoformat())
    response = citizen_client.post(ADD_CHILD, data)
    assert response.templates[0].name == "households/member_form.html"
    assert "birth_date" in errors_of(response)
    assert household.members.count() == 1


@pytest.mark.django_db
def test_a_refusal_from_the_service_is_shown_in_the_form(citizen_client, household, monkeypatch):
    # The service checks the rules again inside its transaction; what it refuses reaches
    # the citizen like a form error, beside the field or at the top.
    def refuse(**kwargs):
        raise ValidationError({"birth_date": ["Refusé ici."], "household": ["Refusé là."]})

    monkeypatch.setattr(services, "member_add", refuse)
    response = citizen_client.post(ADD_CHILD, child_data(step="confirm"))

    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors["birth_date"] == ["Refusé ici."]
    assert form.non_field_errors() == ["Refusé là."]


@pytest.mark.django_db
def test_the_adult_and_child_pages_need_a_login(client):
    response = client.get(ADD_CHILD)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))
