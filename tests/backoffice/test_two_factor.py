"""Staff reach the admin with a second factor when STAFF_TWO_FACTOR is on (always in
production): set up on the first login, asked at every login, backup codes once each."""

import html
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

ADMIN = reverse("admin:index")
LOGIN = reverse("admin:login")
VERIFY = reverse("admin:two_factor")
SETUP = reverse("admin:two_factor_setup")


@pytest.fixture(autouse=True)
def _two_factor_on(settings):
    settings.STAFF_TWO_FACTOR = True


def code_of(device: TOTPDevice) -> str:
    return f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"


def log_in(client, user):
    return client.post(f"{LOGIN}?next={ADMIN}", {"username": user.identifier, "password": PASSWORD})


def set_up(client, clerk) -> list[str]:
    """The first login of a clerk: password, then the application's code; the backup codes."""
    log_in(client, clerk)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(SETUP, {"code": code_of(device), "next": ADMIN})
    assert response.status_code == 200
    return response.context["codes"]


def test_the_password_alone_opens_nothing_of_the_admin(client, clerk):
    response = log_in(client, clerk)
    assert response.status_code == 302
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(SETUP)
    assert client.get(reverse("admin:accounts_user_changelist")).status_code == 302


def test_the_first_login_sets_up_the_application_and_gives_ten_backup_codes(client, clerk):
    log_in(client, clerk)
    page = client.get(SETUP).content.decode()
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    assert "<svg" in page and 'aria-label="QR code de configuration"' in page
    key = re.search(r'<code class="two-factor__key">([A-Z2-7 ]+)</code>', page).group(1)
    assert len(key.replace(" ", "")) == 32  # The key in text, for those who cannot scan.

    wrong = client.post(SETUP, {"code": "000000" if code_of(device) != "000000" else "111111"})
    assert "n'est pas celui qu'attend la clé affichée" in html.unescape(wrong.content.decode())
    assert client.get(ADMIN).status_code == 302

    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):
        codes = set_up_with(client, device)
    assert len(codes) == 10 and len(set(codes)) == 10
    assert client.get(ADMIN).status_code == 200
    device.refresh_from_db()
    assert device.confirmed


def set_up_with(client, device) -> list[str]:
    response = client.post(SETUP, {"code": code_of(device), "next": ADMIN})
    page = response.content.decode()
    assert "Vos codes de secours" in page
    return response.context["codes"]


def test_every_later_login_asks_for_a_code(client, clerk):
    set_up(client, clerk)
    client.logout()
    log_in(client, clerk)
    response = client.get(ADMIN, follow=True)
    assert response.redirect_chain[-1][0].startswith(VERIFY)
    device = TOTPDevice.objects.get(user=clerk)
    with time_machine.travel(timezone.now() + timezone.timedelta(seconds=31), tick=False):
        # The next period's code: the setup's own code is spent.
        response = client.post(VERIFY, {"code": code_of(device), "next": ADMIN})
        assert response.status_code == 302 and response["Location"] == ADMIN
        assert client.get(ADMIN).status_code == 200


def test_a_backup_code_works_once(client, clerk):
    codes = set_up(client, clerk)
    client.logout()
    log_in(client, clerk)
    assert client.post(VERIFY, {"code": codes[0].upper(), "next": ADMIN}).status_code == 302
    assert client.get(ADMIN).status_code == 200
    client.logout()
    log_in(client, clerk)
    response = client.post(VERIFY, {"code": codes[0], "next": ADMIN})
    assert response.status_code == 200
    assert "Ce code n'est pas valide" in html.unescape(response.content.decode())
    assert StaticToken.objects.filter(device__user=clerk).count() == 9


def test_a_wrong_code_is_refused_with_a_message_next_to_the_field(client, clerk):
    set_up(client, clerk)
    client.logout()
    log_in(client, clerk)
    response = client.post(VERIFY, {"code": "12345x"})
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="error-summary"' in page and 'aria-invalid="true"' in page
    assert client.get(ADMIN).status_code == 302


def test_wrong_codes_are_throttled(client, clerk):
    set_up(client, clerk)
    client.logout()
    log_in(client, clerk)
    device = TOTPDevice.objects.get(user=clerk)
    later = timezone.now() + timezone.timedelta(seconds=31)
    with time_machine.travel(later, tick=False):
        right = code_of(device)
        wrong = f"{(int(right) + 1) % 1_000_000:06d}"
        client.post(VERIFY, {"code": wrong})
        # Right after a failure even the right code waits: guessing costs time.
        response = client.post(VERIFY, {"code": right})
        assert "Trop d'essais rapprochés" in html.unescape(response.content.decode())
    assert client.get(ADMIN).status_code == 302


def test_a_second_device_cannot_be_added_with_the_password_alone(client, clerk):
    set_up(client, clerk)
    client.logout()
    log_in(client, clerk)
    response = client.get(SETUP)
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.post(SETUP, {"code": "123456"}).status_code == 302
    assert TOTPDevice.objects.filter(user=clerk).count() == 1


def test_the_next_page_must_be_on_this_site(client, clerk):
    log_in(client, clerk)
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=clerk)
    response = client.post(SETUP, {"code": code_of(device), "next": "https://evil.example/"})
    assert response.context["next"] == ADMIN


def test_citizens_never_reach_the_second_step(client, citizen):
    client.force_login(citizen)
    assert client.get(VERIFY)["Location"].startswith(LOGIN)
    assert client.get(SETUP)["Location"].startswith(LOGIN)


def test_without_the_setting_the_password_is_enough(client, clerk, settings):
    settings.STAFF_TWO_FACTOR = False
    log_in(client, clerk)
    assert client.get(ADMIN).status_code == 200
