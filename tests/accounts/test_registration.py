import re

import pytest
from captcha.models import CaptchaStore
from django.core import mail
from django.urls import reverse

from accounts.models import AccountEvent, AccountStatus, User

URL = reverse("accounts:register")


def valid_data(**overrides):
    data = {
        "civility": "mme",
        "last_name": "Dupont-Lefèvre",
        "first_name": "Zoé",
        "birth_date": "1990-02-03",
        "email": "zoe@example.org",
        "phone": "06 11 22 33 44",
        "address": "3 rue des Lilas",
        "postal_code": "99999",
        "city": "Villeneuve-sur-Example",
        "security_question": "first_pet",
        "security_answer": "Rex",
        "password1": "Tres-Bon-Mot2passe!",
        "password2": "Tres-Bon-Mot2passe!",
        "captcha_0": "any",
        "captcha_1": "PASSED",
    }
    data.update(overrides)
    return data


def errors_of(response) -> dict[str, list[str]]:
    return {name: list(errors) for name, errors in response.context["form"].errors.items()}


@pytest.mark.django_db
def test_the_form_asks_what_a_town_hall_needs_and_names_its_button(client):
    page = client.get(URL).content.decode()
    for label in (
        "Civilité",
        "Nom",
        "Prénom",
        "Date de naissance",
        "Adresse électronique",
        "Téléphone",
        "Code postal",
        "Commune",
        "Question de sécurité",
        "Confirmation du mot de passe",
        "Cryptogramme",
    ):
        assert label in page
    assert "Confirmer et continuer" in page


@pytest.mark.django_db
@pytest.mark.argon2
def test_it_creates_a_pending_account_and_mails_the_identifier_after_commit(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("accounts:register_done")

    account = User.objects.get(email="zoe@example.org")
    assert account.status == AccountStatus.PENDING
    assert account.last_name == "DUPONT-LEFÈVRE"
    assert account.check_password("Tres-Bon-Mot2passe!")
    assert account.password.startswith("argon2")
    assert account.security_answer != "Rex" and account.check_security_answer("rex")
    assert AccountEvent.objects.filter(account=account, kind=AccountEvent.Kind.REGISTERED).exists()

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["zoe@example.org"]
    assert f"Votre identifiant : {account.identifier}" in message.body
    assert message.alternatives[0][1] == "text/html"

    done = client.get(response["Location"]).content.decode()
    assert "zoe@example.org" in done
    assert "par mail" in done


@pytest.mark.django_db
def test_the_mail_is_not_sent_when_the_transaction_does_not_commit(client):
    # Without running on-commit callbacks (the test transaction never commits), no mail leaves.
    client.post(URL, valid_data())
    assert mail.outbox == []


@pytest.mark.django_db
def test_the_identifier_is_short_and_unambiguous(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        client.post(URL, valid_data())
    identifier = User.objects.get(email="zoe@example.org").identifier
    assert re.fullmatch(r"[a-z2-9]{8}", identifier)
    assert not set(identifier) & set("01lo")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"last_name": ""}, "last_name", "Ce champ est obligatoire."),
        ({"first_name": "Zo3"}, "first_name", "Utilisez uniquement des lettres"),
        ({"birth_date": "2090-01-01"}, "birth_date", "ne peut pas être dans le futur"),
        ({"birth_date": "2015-01-01"}, "birth_date", "Il faut être majeur"),
        ({"birth_date": "pas une date"}, "birth_date", "Saisissez une date valide."),
        ({"email": "pas-un-mail"}, "email", "Saisissez une adresse de courriel valide."),
        ({"phone": "12"}, "phone", "numéro de téléphone valide"),
        ({"postal_code": "7500"}, "postal_code", "5 chiffres"),
        ({"security_question": ""}, "security_question", "Ce champ est obligatoire."),
        ({"password2": "Autre-Mot2passe!!"}, "password2", "ne sont pas identiques"),
        ({"password1": "court", "password2": "court"}, "password1", "au minimum 12 caractères"),
        (
            {"password1": "toutenminuscules", "password2": "toutenminuscules"},
            "password1",
            "une majuscule, un chiffre, un caractère spécial",
        ),
        ({"captcha_1": "FAUX"}, "captcha", "Le cryptogramme est incorrect"),
        ({"last_name": "A" * 300}, "last_name", "au plus 150 caractères"),
    ],
)
def test_each_bad_input_gets_a_french_message_beside_its_field_and_saves_nothing(
    client, overrides, field, message
):
    data = valid_data(**overrides)
    if field == "captcha":  # a live cryptogramme, wrongly copied (an unknown one has expired)
        data["captcha_0"] = CaptchaStore.generate_key()
    response = client.post(URL, data)
    assert response.status_code == 200
    assert any(message in error for error in errors_of(response)[field])
    page = response.content.decode()
    assert 'class="error-summary"' in page
    assert f'id="id_{field}_error"' in page
    assert User.objects.count() == 0
    assert mail.outbox == []


@pytest.mark.django_db
def test_names_with_accents_hyphens_and_apostrophes_are_accepted(client):
    response = client.post(URL, valid_data(last_name="N'Diaye-O’Brien", first_name="Jean-Éric Zoé"))
    assert response.status_code == 302
    account = User.objects.get()
    assert account.first_name == "Jean-Éric Zoé"
    assert account.last_name == "N'DIAYE-O’BRIEN"


@pytest.mark.django_db
def test_typed_values_are_kept_after_an_error_but_not_the_passwords(client):
    response = client.post(URL, valid_data(password2="Autre-Mot2passe!!"))
    page = response.content.decode()
    assert 'value="zoe@example.org"' in page
    assert "Tres-Bon-Mot2passe!" not in page


@pytest.mark.django_db
def test_a_logged_in_citizen_is_sent_home(citizen_client):
    assert citizen_client.get(URL)["Location"] == reverse("home")
