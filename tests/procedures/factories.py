"""Catalogue and request factories for the procedures tests."""

import json
from pathlib import Path

import factory

from procedures.catalogue.exchange import import_procedure
from procedures.catalogue.streets import read_streets, streets_import
from procedures.models import DocumentRequirement, Procedure, ProcedureField, Theme


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme
        django_get_or_create = ("slug",)

    title = "Environnement"
    slug = factory.Sequence(lambda n: f"theme-{n}")


class ProcedureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Procedure

    theme = factory.SubFactory(ThemeFactory)
    title = "Collecte des encombrants"
    slug = factory.Sequence(lambda n: f"demarche-{n}")
    summary = "Faire enlever vos objets volumineux."
    concerns = Procedure.Concerns.HOUSEHOLD
    service_name = "Service Propreté"


class FieldFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProcedureField

    procedure = factory.SubFactory(ProcedureFactory)
    name = factory.Sequence(lambda n: f"champ_{n}")
    label = "Description"
    kind = ProcedureField.Kind.SHORT_TEXT


class DocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = DocumentRequirement

    procedure = factory.SubFactory(ProcedureFactory)
    label = "Justificatif de domicile"


def bulky_waste(**kwargs) -> Procedure:
    """A household procedure with a date, a text, a choice and one expected document."""
    procedure = ProcedureFactory(has_appointment=True, **kwargs)
    FieldFactory(
        procedure=procedure,
        name="date_souhaitee",
        label="Date souhaitée",
        kind=ProcedureField.Kind.DATE,
        order=1,
    )
    FieldFactory(
        procedure=procedure,
        name="objets",
        label="Objets à enlever",
        kind=ProcedureField.Kind.LONG_TEXT,
        order=2,
    )
    FieldFactory(
        procedure=procedure,
        name="acces",
        label="Accès",
        kind=ProcedureField.Kind.CHOICE,
        choices="Rez-de-chaussée\nÉtage avec ascenseur\nÉtage sans ascenseur",
        order=3,
    )
    DocumentFactory(procedure=procedure, label="Justificatif de domicile")
    return procedure


def school_enrolment(**kwargs) -> Procedure:
    """A procedure about one child, with a photo field."""
    procedure = ProcedureFactory(
        title="Inscription scolaire", concerns=Procedure.Concerns.CHILD, **kwargs
    )
    FieldFactory(
        procedure=procedure,
        name="niveau",
        label="Niveau",
        kind=ProcedureField.Kind.CHOICE,
        choices="CP\nCE1\nCE2",
        order=1,
    )
    FieldFactory(
        procedure=procedure,
        name="photo",
        label="Photo",
        kind=ProcedureField.Kind.FILE,
        required=False,
        order=2,
    )
    return procedure


SAMPLE_ANSWERS = {
    ProcedureField.Kind.SHORT_TEXT: "Réponse",
    ProcedureField.Kind.LONG_TEXT: "Un canapé",
    ProcedureField.Kind.NUMBER: "2",
    ProcedureField.Kind.DATE: "2030-09-02",
    ProcedureField.Kind.EMAIL: "camille@example.org",
    ProcedureField.Kind.PHONE: "06 12 34 56 78",
    ProcedureField.Kind.CHECKBOX: True,
}


def complete_answers(procedure: Procedure, answers: dict | None = None) -> dict:
    """``answers`` with every other required answer filled, so that the draft can be sent
    (a draft may be kept incomplete; sending checks it whole)."""
    filled = {}
    for field in procedure.fields.filter(required=True).exclude(kind=ProcedureField.Kind.FILE):
        if field.kind == ProcedureField.Kind.CHOICE:
            filled[field.name] = field.choice_list[0]
        elif field.kind == ProcedureField.Kind.MULTIPLE_CHOICE:
            filled[field.name] = field.choice_list[:1]
        else:
            filled[field.name] = SAMPLE_ANSWERS[field.kind]
    return {**filled, **(answers or {})}


DEMO_FORMS = Path(__file__).resolve().parents[2] / "demo" / "forms"
DEMO_STREETS = Path(__file__).resolve().parents[2] / "demo" / "data" / "adresses-demo.csv"


def demo_form_data(name: str) -> dict:
    return json.loads((DEMO_FORMS / f"{name}.json").read_text(encoding="utf-8"))


def demo_form(name: str) -> Procedure:
    """A procedure of the demo written in the exchange format (demo/forms/), published,
    with the demo town's street register loaded."""
    data = demo_form_data(name)
    ThemeFactory(slug=data["procedure"]["theme"], title="Voirie et espace public")
    procedure = import_procedure(data)
    Procedure.objects.filter(pk=procedure.pk).update(published=True)
    streets_import(read_streets(DEMO_STREETS.read_text(encoding="utf-8").splitlines()))
    procedure.refresh_from_db()
    return procedure
