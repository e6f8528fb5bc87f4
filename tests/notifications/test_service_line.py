"""The service that handles a request is named once (issue 23): the acknowledgement said
« Service Éducation — Service Éducation — 01 23 45 67 80 — … » when the contact, as the
demo and some towns typed it, starts with the service's name. Read in the rendered mails
(text and HTML) and in the request's PDF."""

import pytest
from django.core import mail

from procedures.models import Procedure
from procedures.pdf import request_pdf_bytes
from tests.notifications.test_messages import html_text, submit
from tests.procedures.factories import bulky_waste
from tests.procedures.test_pdf import text_of

LINE = "Service Éducation — 01 23 45 67 80 — education@mairie.example"


@pytest.mark.parametrize(
    ("contact", "line"),
    [
        ("Service Éducation — 01 23 45 67 80 — education@mairie.example", LINE),
        ("01 23 45 67 80 — education@mairie.example", LINE),
        ("service éducation, 01 23 45 67 80 — education@mairie.example", LINE),
        ("", "Service Éducation"),
    ],
)
def test_the_service_line_names_the_service_once(contact, line):
    procedure = Procedure(service_name="Service Éducation", service_contact=contact)
    assert procedure.service_line == line


@pytest.mark.django_db
def test_the_acknowledgement_and_the_pdf_name_the_service_once(
    citizen, django_capture_on_commit_callbacks
):
    procedure = bulky_waste(
        service_name="Service Éducation",
        service_contact="Service Éducation — 01 23 45 67 80 — education@mairie.example",
    )
    with django_capture_on_commit_callbacks(execute=True):
        request = submit(citizen, procedure)
    (email,) = mail.outbox
    for text in (email.body, html_text(email.alternatives[0][0])):
        assert LINE in text
        assert text.count("Service Éducation") == 1, text
    assert f"Service qui traite votre demande : {LINE}" in email.body

    document = text_of(request_pdf_bytes(request))
    assert f"Service instructeur {LINE}" in document
    assert document.count("Service Éducation") == 1
