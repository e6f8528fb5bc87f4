"""The « cryptogramme »: spelled in French and played in the page, renewed by a button that
works without JavaScript, and an expired one said so, with what the citizen typed kept."""

import re
import wave
from datetime import timedelta
from io import BytesIO

import pytest
from captcha.models import CaptchaStore
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from common.captcha import spelled_ssml
from tests.accounts.test_registration import valid_data

URL = reverse("accounts:register")
needs_espeak = pytest.mark.needs_tool("espeak-ng")


def captcha_key(page: str) -> str:
    return re.search(r'name="captcha_0" value="([0-9a-f]+)"', page).group(1)


def input_value(page: str, name: str) -> str | None:
    tag = re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)
    found = re.search(r'value="([^"]*)"', tag)
    return found.group(1) if found else None


def test_the_letters_are_spelled_one_by_one_with_pauses_and_said_twice():
    ssml = spelled_ssml("AJ7")
    assert ssml.count('<say-as interpret-as="characters">J</say-as>') == 2
    assert ssml.count('<break time="900ms"/>') >= 6
    assert "Je répète" in ssml


@needs_espeak
@pytest.mark.django_db
def test_the_audio_is_spoken_by_a_french_voice_long_enough_and_played_inline(client, settings):
    assert settings.CAPTCHA_SPEECH_VOICE == "fr"
    page = client.get(URL).content.decode()
    key = captcha_key(page)
    audio_url = reverse("captcha_audio", kwargs={"key": key})
    assert f'<audio controls preload="none" src="{audio_url}"' in page
    assert "Écouter le cryptogramme" in page
    assert "Nouveau cryptogramme" in page

    response = client.get(audio_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "audio/wav"
    assert response["Content-Disposition"].startswith("inline")
    with wave.open(BytesIO(response.content)) as sound:
        seconds = sound.getnframes() / sound.getframerate()
        assert sound.getframerate() >= 16000  # not flite's 8 kHz
    # Five characters, each followed by a pause of 0.9 s, said twice: far beyond flite's 2.4 s.
    assert seconds >= 2 * 5 * 0.9


@pytest.mark.django_db
def test_without_espeak_ng_the_page_offers_no_sound_and_the_sound_is_not_found(client, settings):
    settings.CAPTCHA_SPEECH_PATH = None
    page = client.get(URL).content.decode()
    assert "<audio" not in page and "Écouter le cryptogramme" not in page
    assert "Nouveau cryptogramme" in page
    audio_url = reverse("captcha_audio", kwargs={"key": captcha_key(page)})
    assert client.get(audio_url).status_code == 404


@needs_espeak
@pytest.mark.django_db
def test_an_expired_cryptogramme_has_no_sound(client):
    page = client.get(URL).content.decode()
    key = captcha_key(page)
    CaptchaStore.objects.filter(hashkey=key).update(expiration=timezone.now())
    assert client.get(reverse("captcha_audio", kwargs={"key": key})).status_code == 410


@pytest.mark.django_db
def test_the_hidden_part_of_the_captcha_carries_no_invalid_attribute(client):
    page = client.get(URL).content.decode()
    hidden = re.search(r'<input type="hidden" name="captcha_0"[^>]*>', page).group(0)
    for attribute in ("required", "aria-describedby", "autocomplete", "autocorrect"):
        assert attribute not in hidden
    answer = re.search(r'<input type="text" name="captcha_1"[^>]*>', page).group(0)
    assert 'aria-describedby="id_captcha_help"' in answer and "autocorrect" not in answer


@pytest.mark.django_db
def test_an_expired_cryptogramme_is_said_so_and_keeps_what_was_typed_but_the_passwords(
    client, settings, time_machine
):
    settings.CAPTCHA_TEST_MODE = False
    time_machine.move_to(timezone.now(), tick=False)
    key = captcha_key(client.get(URL).content.decode())
    answer = CaptchaStore.objects.get(hashkey=key).response
    time_machine.move_to(timezone.now() + timedelta(minutes=settings.CAPTCHA_TIMEOUT + 1))

    response = client.post(URL, valid_data(captcha_0=key, captcha_1=answer))

    errors = response.context["form"].errors["captcha"]
    assert errors == ["Le cryptogramme a expiré (il est valable 15 minutes) : recopiez le nouveau."]
    page = response.content.decode()
    assert input_value(page, "first_name") == "Zoé"
    assert input_value(page, "email") == "zoe@example.org"
    assert input_value(page, "password1") is None and input_value(page, "password2") is None
    assert "les mots de passe ne sont jamais réaffichés" in page  # the form says so
    assert User.objects.count() == 0


@pytest.mark.django_db
def test_nouveau_cryptogramme_brings_the_form_back_with_a_new_one_and_no_error(client):
    first = captcha_key(client.get(URL).content.decode())
    response = client.post(URL, valid_data(captcha_0=first, nouveau_cryptogramme="1"))
    assert response.status_code == 200
    assert not response.context["form"].errors
    page = response.content.decode()
    assert "<title>Créer un compte" in page and 'class="error-summary"' not in page
    assert captcha_key(page) != first
    assert input_value(page, "last_name") == "Dupont-Lefèvre"
    assert re.search(r'<input type="text" name="captcha_1"[^>]*autofocus', page)
    assert "Un nouveau cryptogramme est affiché" in page
    assert User.objects.count() == 0
