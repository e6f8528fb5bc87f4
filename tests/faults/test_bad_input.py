"""The inputs that answered 500: a NUL byte in a search or an identifier, a tiny PNG that
claims billions of pixels. Each now gets a French form error and saves nothing."""

import struct
import zlib

import pytest
from django.urls import reverse

from accounts.models import User
from procedures.models import Request
from tests.procedures.conftest import upload
from tests.procedures.factories import bulky_waste

pytestmark = pytest.mark.django_db


def png_claiming(width: int, height: int) -> bytes:
    """A valid PNG header (and an empty image) that announces ``width`` × ``height``."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data)
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", b"") + chunk(b"IEND", b"")


def test_a_nul_byte_in_the_search_is_a_form_error(client):
    response = client.get(reverse("procedures:catalogue"), {"q": "a\x00b"})
    assert response.status_code == 200
    page = response.content.decode()
    assert "Le caractère nul n’est pas autorisé." in page
    assert 'aria-invalid="true"' in page


def test_a_nul_byte_in_the_lost_password_identifier_starts_again(client):
    response = client.post(reverse("accounts:password_forgotten"), {"identifier": "ab\x00cd"})
    assert response.status_code == 200  # the identifier's page again, with a French message
    page = response.content.decode()
    assert 'name="identifier"' in page and "Le caractère nul n’est pas autorisé" in page


def test_a_57_byte_png_claiming_15000_by_15000_pixels_is_refused_beside_its_field(
    citizen_client,
):
    bomb = png_claiming(15_000, 15_000)
    assert len(bomb) == 57
    procedure = bulky_waste()
    doc = procedure.documents.get()
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]),
        {
            "f_date_souhaitee": "2026-12-10",
            "f_objets": "Un canapé",
            "f_acces": "Rez-de-chaussée",
            f"doc_{doc.pk}": upload("plan.png", bomb),
        },
    )
    assert response.status_code == 200
    error = response.context["form"].errors[f"doc_{doc.pk}"][0]
    assert error == (
        "L'image « plan.png » est trop grande en pixels : réduisez-la avant de l'envoyer."
    )
    assert Request.objects.count() == 0


def test_an_oversized_form_is_a_400_in_french_and_saves_nothing(client):
    """Beyond Django's 2.5 MB of form data: refused before any view reads it."""
    before = User.objects.count()
    response = client.post(reverse("accounts:register"), {"last_name": "x" * 3_000_000})
    assert response.status_code == 400
    assert "trop volumineux ou mal formé : rien n" in response.content.decode()
    assert User.objects.count() == before


def test_a_nul_byte_in_the_captcha_key_is_a_form_error_not_a_500(client, settings):
    settings.CAPTCHA_TEST_MODE = False
    response = client.post(
        reverse("accounts:register"), {"captcha_0": "ab\x00cd", "captcha_1": "ABCDE"}
    )
    assert response.status_code == 200
    assert "captcha" in response.context["form"].errors
