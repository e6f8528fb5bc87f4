"""A procedure in pages (the demo's parking permit): « Suivant » and « Précédent », the
draft kept at every page, repeated blocks without JavaScript, the address from the
street register, the récapitulatif by page, sending, and the versions of a form."""

import csv
from datetime import timedelta
from io import BytesIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from notifications.models import Message
from procedures import pdf
from procedures.models import ProcedureField, Request, RequestState, Street
from procedures.pdf import pdf_context
from tests.procedures.factories import demo_form

pytestmark = pytest.mark.django_db


@pytest.fixture
def parking():
    return demo_form("permis-de-stationnement")


def in_days(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def page_one(**extra) -> dict:
    return {
        "f_motif": "Déménagement ou emménagement",
        "f_volume_camion": "20",
        "f_date_debut": in_days(20),
        "f_date_fin": in_days(21),
        **extra,
    }


def page_two(**extra) -> dict:
    street = Street.objects.get(name="Rue des Tilleuls")
    return {
        "f_adresse__numero": "8 bis",
        "f_adresse__voie": str(street.pk),
        "f_longueur": "10,5",
        **extra,
    }


def html(response) -> str:
    return response.content.decode()


def page_url(draft, number: int) -> str:
    return reverse("procedures:page", args=[draft.pk, number])


def test_each_page_says_its_step_and_the_draft_keeps_each_page(citizen_client, parking):
    start = reverse("procedures:start", args=[parking.slug])
    first = html(citizen_client.get(start))
    assert "Étape 1 sur 3 : Votre demande" in first
    assert ">Suivant<" in first and ">Précédent<" not in first
    # Without JavaScript the conditional question is there, with its condition in words.
    assert "Seulement si « Motif » est égal à « Déménagement ou emménagement »." in first
    assert 'data-condition="' in first and "js/conditions.js" in first

    response = citizen_client.post(start, page_one())
    draft = Request.objects.get()
    assert response["Location"] == page_url(draft, 2)
    second = html(citizen_client.get(page_url(draft, 2)))
    assert (
        "Étape 2 sur 3 : L&#x27;emplacement" in second or "Étape 2 sur 3 : L'emplacement" in second
    )
    assert 'autocomplete="off"' in second and "Rue des Tilleuls" in second

    # « Précédent » keeps what was typed on this page, and page 1 shows its answers.
    response = citizen_client.post(page_url(draft, 2), page_two(previous="1"))
    assert response["Location"] == page_url(draft, 1)
    draft.refresh_from_db()
    assert draft.answers["adresse"]["voie"] == "Rue des Tilleuls"
    assert draft.answers["adresse"]["numero"] == "8 bis"
    assert draft.answers["longueur"] == "10.5"
    assert 'value="20"' in html(citizen_client.get(page_url(draft, 1)))


def test_dates_are_checked_against_today_and_each_other(citizen_client, parking):
    start = reverse("procedures:start", args=[parking.slug])
    response = citizen_client.post(start, page_one(f_date_debut=in_days(3), f_date_fin=in_days(2)))
    errors = response.context["form"].errors
    assert errors["f_date_debut"][0].startswith("Choisissez une date à partir du ")
    response = citizen_client.post(
        start, page_one(f_date_debut=in_days(30), f_date_fin=in_days(20))
    )
    assert response.context["form"].errors["f_date_fin"] == [
        "Cette date ne peut pas être avant « Du »."
    ]
    assert "Le formulaire contient" in html(response)


def test_the_address_comes_from_the_register_with_a_number(citizen_client, parking):
    citizen_client.post(reverse("procedures:start", args=[parking.slug]), page_one())
    draft = Request.objects.get()
    response = citizen_client.post(page_url(draft, 2), page_two(f_adresse__numero=""))
    assert response.context["form"].errors["f_adresse__numero"] == [
        "Indiquez le numéro dans la voie."
    ]
    response = citizen_client.post(page_url(draft, 2), page_two(f_adresse__voie="999999"))
    assert "f_adresse__voie" in response.context["form"].errors
    # No free text for this question: the field is not even offered.
    assert "f_adresse__libre" not in response.context["form"].fields


def test_a_block_adds_and_removes_items_without_javascript(citizen_client, parking):
    citizen_client.post(reverse("procedures:start", args=[parking.slug]), page_one())
    draft = Request.objects.get()
    citizen_client.post(page_url(draft, 2), page_two())
    third = html(citizen_client.get(page_url(draft, 3)))
    assert "Véhicule 1" in third and "Ajouter un véhicule" in third
    assert "Retirer ce véhicule" not in third  # one at least

    data = {"b_vehicules__count": "1", "b_vehicules__0__immatriculation": "ab-123-cd"}
    response = citizen_client.post(page_url(draft, 3), {**data, "add_vehicules": "1"})
    assert response["Location"] == page_url(draft, 3) + "#block-vehicules"
    third = html(citizen_client.get(page_url(draft, 3)))
    assert "Véhicule 2" in third and "Retirer ce véhicule" in third
    draft.refresh_from_db()
    assert draft.answers["vehicules"][0] == {"immatriculation": "AB-123-CD"}

    data = {
        "b_vehicules__count": "2",
        "b_vehicules__0__immatriculation": "AB-123-CD",
        "b_vehicules__1__immatriculation": "1234 AB 56",
    }
    response = citizen_client.post(page_url(draft, 3), data)
    assert "avant 2009" in response.context["form"].errors["b_vehicules__1__immatriculation"][0]
    data["b_vehicules__1__immatriculation"] = "EF-456-GH"
    citizen_client.post(page_url(draft, 3), {**data, "remove_vehicules__0": "1"})
    draft.refresh_from_db()
    assert draft.answers["vehicules"] == [{"immatriculation": "EF-456-GH"}]
    # The maximum: no « Ajouter » past three.
    data = {
        "b_vehicules__count": "3",
        **{f"b_vehicules__{i}__immatriculation": f"AB-12{i}-CD" for i in range(3)},
    }
    response = citizen_client.post(page_url(draft, 3), {**data, "add_vehicules": "1"})
    draft.refresh_from_db()
    assert len(draft.answers["vehicules"]) == 3


def fill_all(client, parking) -> Request:
    client.post(reverse("procedures:start", args=[parking.slug]), page_one())
    draft = Request.objects.get()
    client.post(page_url(draft, 2), page_two())
    response = client.post(
        page_url(draft, 3),
        {"b_vehicules__count": "1", "b_vehicules__0__immatriculation": "AB-123-CD"},
    )
    assert response["Location"] == reverse("procedures:summary", args=[draft.pk])
    return draft


def test_the_summary_lists_the_pages_with_a_modifier_link_and_sends(citizen_client, parking):
    draft = fill_all(citizen_client, parking)
    summary = html(citizen_client.get(reverse("procedures:summary", args=[draft.pk])))
    for number, title in ((1, "Votre demande"), (3, "Le véhicule")):
        assert f'<h2 id="page-{number - 1}-title">{title}</h2>' in summary
        assert f'href="{page_url(draft, number)}"' in summary
    assert "Véhicule 1 — Immatriculation" in summary and "AB-123-CD" in summary
    assert "8 bis Rue des Tilleuls, 99999 Villeneuve-sur-Example" in summary
    assert "20 m³" in summary and "10,5 mètres" in summary
    response = citizen_client.post(reverse("procedures:summary", args=[draft.pk]))
    draft.refresh_from_db()
    assert draft.state == RequestState.SUBMITTED
    assert response["Location"] == reverse("procedures:confirmation", args=[draft.pk])
    assert Message.objects.filter(account=draft.account).exists()


def test_a_sent_request_keeps_its_form_when_the_catalogue_changes(citizen_client, parking):
    draft = fill_all(citizen_client, parking)
    citizen_client.post(reverse("procedures:summary", args=[draft.pk]))
    sent = Request.objects.get()
    before = html(citizen_client.get(reverse("procedures:detail", args=[sent.pk])))
    before_pdf = [(row["label"], row["value"]) for row in pdf_context(sent)["answers"]]
    assert sent.definition_revision == parking.revision and sent.definition["pages"]

    ProcedureField.objects.filter(procedure=parking, name="motif").update(label="Raison")
    ProcedureField.objects.filter(procedure=parking, name="longueur").delete()
    ProcedureField.objects.filter(procedure=parking, name="volume_camion").update(order=999)

    sent = Request.objects.get()
    after = html(citizen_client.get(reverse("procedures:detail", args=[sent.pk])))
    assert "Motif" in after and "Raison" not in after and "10,5 mètres" in after
    assert after.count("<dt>") == before.count("<dt>")
    after_pdf = [(row["label"], row["value"]) for row in pdf_context(sent)["answers"]]
    assert after_pdf == before_pdf


def test_a_draft_continues_with_the_current_form(citizen_client, parking):
    citizen_client.post(reverse("procedures:start", args=[parking.slug]), page_one())
    draft = Request.objects.get()
    ProcedureField.objects.create(
        procedure=parking, name="nouvelle", label="Nouvelle question", kind="short_text"
    )
    summary = html(citizen_client.get(reverse("procedures:summary", args=[draft.pk])))
    assert "Votre demande est incomplète" in summary and "Nouvelle question" in summary


def test_a_draft_answer_the_form_no_longer_offers_is_asked_again(citizen_client, parking):
    citizen_client.post(reverse("procedures:start", args=[parking.slug]), page_one())
    draft = Request.objects.get()
    ProcedureField.objects.filter(procedure=parking, name="motif").update(
        choices="Benne à gravats\nÉchafaudage"
    )
    summary = html(citizen_client.get(reverse("procedures:summary", args=[draft.pk])))
    assert "Motif (votre réponse ne correspond plus au formulaire)" in summary
    assert "Envoyer ma demande" not in summary


def sent_parking(client, parking) -> Request:
    draft = fill_all(client, parking)
    client.post(reverse("procedures:summary", args=[draft.pk]))
    return Request.objects.get()


def test_the_pdf_stays_tagged_and_numbers_the_block_s_items(citizen_client, parking):
    sent = sent_parking(citizen_client, parking)
    data = pdf.request_pdf_bytes(sent)
    reader = PdfReader(BytesIO(data))
    assert "/StructTreeRoot" in reader.trailer["/Root"]
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Véhicule 1 — Immatriculation AB-123-CD" in text
    assert "Volume du camion 20 m³" in text


def test_export_requests_has_one_column_per_question_and_per_block_item(
    citizen_client, parking, tmp_path
):
    sent = sent_parking(citizen_client, parking)
    output = tmp_path / "demandes.csv"
    day = timezone.localdate().isoformat()
    call_command("export_requests", parking.slug, "--du", day, "--au", day, "--sortie", str(output))
    header, row = list(csv.reader(output.open(encoding="utf-8-sig"), delimiter=";"))
    assert header[-3:] == [
        "Véhicule 1 — Immatriculation",
        "Véhicule 2 — Immatriculation",
        "Véhicule 3 — Immatriculation",
    ]
    assert "Volume du camion" in header and "Les panneaux" not in header
    assert row[0] == sent.number
    assert row[header.index("Véhicule 1 — Immatriculation")] == "AB-123-CD"
    assert row[header.index("Véhicule 2 — Immatriculation")] == ""
    assert row[header.index("Adresse de l'emplacement")].startswith("8 bis Rue des Tilleuls")
