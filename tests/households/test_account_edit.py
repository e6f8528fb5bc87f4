import html
from datetime import date

import pytest
from django.urls import reverse

from accounts.models import AccountEvent
from households import services
from households.models import HouseholdEvent, Sex

URL = reverse("households:account_edit")


def account_post(account, **overrides):
    data = {
        "civility": account.civility,
        "last_name": account.last_name,
        "first_name": account.first_name,
        "birth_date": account.birth_date.isoformat(),
        "email": account.email,
        "phone": account.phone,
        "address": account.address,
        "postal_code": account.postal_code,
        "city": account.city,
    }
    data.update(overrides)
    return data


# The service


@pytest.mark.django_db
def test_holder_update_changes_the_account_and_its_holder_member_together(citizen, holder):
    changes = services.holder_update(
        account=citizen,
        by=citizen,
        first_name="Camille-Rose",
        civility="m",
        address="4 rue Neuve",
    )

    assert set(changes) == {"first_name", "civility", "address"}
    citizen.refresh_from_db()
    holder.refresh_from_db()
    assert citizen.first_name == holder.first_names == "Camille-Rose"
    assert holder.sex == Sex.MALE
    account_event = AccountEvent.objects.get(account=citizen, kind=AccountEvent.Kind.UPDATED)
    assert account_event.changes["first_name"] == {"old": "Camille", "new": "Camille-Rose"}
    household_event = HouseholdEvent.objects.get(action=HouseholdEvent.Action.HOLDER_SYNCED)
    assert household_event.member == holder
    assert household_event.actor == citizen
    assert household_event.changes == {
        "sex": {"old": "F", "new": "M"},
        "first_names": {"old": "Camille", "new": "Camille-Rose"},
    }


@pytest.mark.django_db
def test_a_failing_sync_leaves_the_account_unchanged(citizen, holder, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "holder_sync", broken)
    with pytest.raises(RuntimeError):
        services.holder_update(account=citizen, by=citizen, first_name="Autre")

    citizen.refresh_from_db()
    assert citizen.first_name == "Camille"
    assert not AccountEvent.objects.filter(account=citizen, kind=AccountEvent.Kind.UPDATED).exists()


# The views


@pytest.mark.django_db
def test_the_account_form_is_pre_filled_with_the_account_data(citizen_client, citizen):
    response = citizen_client.get(URL)

    assert response.status_code == 200
    form = response.context["form"]
    assert form["last_name"].value() == "MARTIN"
    assert form["birth_date"].value() == date(1985, 4, 12)
    assert form["city"].value() == "Villeneuve-sur-Example"
    assert "<h1>Modifier mes informations</h1>" in response.content.decode()


@pytest.mark.django_db
def test_modifying_the_account_shows_the_changes_then_saves_on_validate(
    citizen_client, citizen, holder
):
    data = account_post(citizen, last_name="Martin-Durand", phone="07 00 00 00 01")

    review = citizen_client.post(URL, {**data, "step": "review"})

    assert review.templates[0].name == "households/review.html"
    assert review.context["rows"] == [
        {"label": "Nom", "old": "MARTIN", "new": "MARTIN-DURAND"},
        {"label": "Téléphone", "old": "06 12 34 56 78", "new": "07 00 00 00 01"},
    ]
    citizen.refresh_from_db()
    assert citizen.last_name == "MARTIN"

    done = citizen_client.post(URL, {**data, "step": "confirm"})

    assert done.status_code == 302
    assert done["Location"] == reverse("households:account")
    citizen.refresh_from_db()
    holder.refresh_from_db()
    assert citizen.last_name == holder.last_name == "MARTIN-DURAND"
    assert holder.phone == "07 00 00 00 01"
    page = html.unescape(citizen_client.get(done["Location"]).content.decode())
    assert "Vos informations sont enregistrées." in page
    assert "Camille MARTIN-DURAND" in page


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"birth_date": "2015-01-01"}, "birth_date", "Le titulaire du compte doit être majeur."),
        ({"birth_date": "2999-01-01"}, "birth_date", "ne peut pas être dans le futur"),
        ({"last_name": ""}, "last_name", "Ce champ est obligatoire."),
        ({"first_name": "C" * 300}, "first_name", "au plus 150 caractères"),
        ({"postal_code": "7500"}, "postal_code", "5 chiffres"),
        ({"phone": "12"}, "phone", "numéro de téléphone valide"),
        ({"email": "pas-un-mail"}, "email", "adresse de courriel valide"),
    ],
)
def test_bad_account_data_is_refused_with_a_message_and_changes_nothing(
    citizen_client, citizen, overrides, field, message
):
    response = citizen_client.post(URL, {**account_post(citizen, **overrides), "step": "confirm"})

    assert response.status_code == 200
    assert any(message in error for error in response.context["form"].errors[field])
    assert not AccountEvent.objects.filter(account=citizen, kind=AccountEvent.Kind.UPDATED).exists()


@pytest.mark.django_db
def test_accented_and_apostrophe_names_are_accepted_on_the_account(citizen_client, citizen):
    data = account_post(citizen, last_name="O’Brien", first_name="Zoé")
    response = citizen_client.post(URL, {**data, "step": "confirm"})
    assert response.status_code == 302
    citizen.refresh_from_db()
    assert (citizen.last_name, citizen.first_name) == ("O’BRIEN", "Zoé")
