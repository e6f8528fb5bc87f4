"""Malicious uploads are refused by content, and an oversized body before it is read."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from PIL import Image
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    TextStringObject,
)

from procedures.models import Request
from procedures.uploads import validate_upload
from tests.procedures.conftest import DATA, upload
from tests.procedures.factories import bulky_waste
from tests.procedures.test_citizen_views import VALID

HTML = b"<html><body><script>alert(document.cookie)</script></body></html>"


def pdf(**catalogue_entries) -> bytes:
    """A real one-page PDF, with extra entries in its catalogue."""
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    for key, value in catalogue_entries.items():
        writer._root_object[NameObject(f"/{key}")] = value
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def javascript_action(code: str) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/S"): NameObject("/JavaScript"),
            NameObject("/JS"): TextStringObject(code),
        }
    )


def pdf_with_embedded_file() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    writer.add_attachment("facture.html", HTML)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def pdf_with_launch_action() -> bytes:
    launch = DictionaryObject(
        {NameObject("/S"): NameObject("/Launch"), NameObject("/F"): TextStringObject("cmd.exe")}
    )
    return pdf(OpenAction=launch)


def image(kind: str) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "teal").save(out, kind)
    return out.getvalue()


def jpeg_cut_short() -> bytes:
    """Headers intact, pixels missing: Pillow's verify() passes it, only a decode notices."""
    out = io.BytesIO()
    Image.effect_noise((400, 300), 64).convert("RGB").save(out, "JPEG")
    data = out.getvalue()
    return data[: len(data) * 2 // 3]


MALICIOUS = {
    "a PDF header followed by a web page": b"%PDF-1.4\n" + HTML,
    "a real PDF followed by a web page": pdf() + HTML,
    "a real PNG followed by a web page": image("PNG") + HTML,
    "a real JPEG carrying a web page": image("JPEG") + HTML,
    "a PDF with JavaScript run on opening": pdf(OpenAction=javascript_action("app.alert(1)")),
    "a PDF with document-level JavaScript": pdf(
        Names=DictionaryObject({NameObject("/JavaScript"): DictionaryObject()})
    ),
    "a PDF launching a program": pdf_with_launch_action(),
    "a PDF carrying a file": pdf_with_embedded_file(),
    "a JPEG cut short": jpeg_cut_short(),
}


@pytest.mark.parametrize("content", MALICIOUS.values(), ids=MALICIOUS.keys())
def test_a_malicious_file_is_refused_with_a_french_message(content):
    with pytest.raises(ValidationError, match="n'est pas un PDF, un JPEG ou un PNG"):
        validate_upload(upload("justificatif.pdf", content))


GENUINE = {
    "the sample PDF": (DATA / "justificatif.pdf").read_bytes(),
    "a PDF from pypdf": pdf(),
    "a PDF that opens at its first page": pdf(
        OpenAction=ArrayObject([NumberObject(0), NameObject("/Fit")])
    ),
    "the sample JPEG": (DATA / "photo.jpg").read_bytes(),
    "the sample PNG": (DATA / "photo.png").read_bytes(),
    "a JPEG": image("JPEG"),
    "a PNG": image("PNG"),
}


@pytest.mark.parametrize(("what", "content"), GENUINE.items(), ids=GENUINE.keys())
def test_a_genuine_document_is_accepted_as_what_it_is(what, content):
    expected = {"PDF": "application/pdf", "JPEG": "image/jpeg", "PNG": "image/png"}
    (kind,) = [kind for kind in expected if kind in what]
    assert validate_upload(upload("document", content)) == expected[kind]


class UnreadableBody(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


@pytest.mark.django_db
def test_an_oversized_body_is_refused_before_it_is_read(citizen_client, settings):
    procedure = bulky_waste()
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]),
        VALID,
        CONTENT_LENGTH=str(settings.REQUEST_BODY_MAX_SIZE + 1),
        **{"wsgi.input": UnreadableBody()},
    )
    assert response.status_code == 413
    page = response.content.decode()
    assert "Envoi trop volumineux" in page and "25 Mo" in page
    assert response["Connection"] == "close"
    assert Request.objects.count() == 0


@pytest.mark.django_db
def test_more_files_than_a_request_holds_get_a_french_page(citizen_client):
    procedure = bulky_waste()
    files = {f"doc_{n}": upload(f"{n}.pdf", source="justificatif.pdf") for n in range(11)}
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]), {**VALID, **files}
    )
    assert response.status_code == 400
    assert "La requête n'a pas pu être traitée" in response.content.decode()


@pytest.mark.django_db
def test_the_help_says_which_documents_are_refused_and_what_to_do(client):
    page = client.get(reverse("help")).content.decode()
    assert 'href="#fichier-refuse"' in page and 'id="fichier-refuse"' in page
    for words in ("PDF, JPEG ou PNG de 10 Mo au plus", "25 Mo", "script", "photographiez-le"):
        assert words in page
