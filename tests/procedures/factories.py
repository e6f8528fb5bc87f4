"""Catalogue and request factories for the procedures tests."""

import factory

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
