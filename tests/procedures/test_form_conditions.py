"""Conditions on earlier answers (procedures/catalogue/conditions.py): evaluated on the
server, a hidden question never required, never validated, never stored."""

from datetime import date

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from procedures import services
from procedures.catalogue.conditions import (
    NOBODY,
    Subject,
    in_words,
    prune,
    rule_holds,
    shown,
)
from procedures.catalogue.definition import Page, Question, Rule, definition_of
from procedures.models import Operator, Request
from tests.procedures.factories import demo_form

KINDS = {"motif": "choice", "volume": "entier", "du": "date", "case": "checkbox", "jours": "x"}


@pytest.mark.parametrize(
    ("rule", "answers", "expected"),
    [
        (Rule("motif", Operator.EQUALS, "Déménagement"), {"motif": "Déménagement"}, True),
        (Rule("motif", Operator.EQUALS, "Déménagement"), {"motif": "Benne"}, False),
        (Rule("motif", Operator.EQUALS, "Déménagement"), {}, False),
        (Rule("motif", Operator.DIFFERS, "Benne"), {"motif": "Déménagement"}, True),
        (Rule("motif", Operator.DIFFERS, "Benne"), {}, False),
        (Rule("motif", Operator.ONE_OF, "Benne ; Échafaudage"), {"motif": "Échafaudage"}, True),
        (Rule("motif", Operator.ONE_OF, "Benne ; Échafaudage"), {"motif": "Autre"}, False),
        (Rule("jours", Operator.EQUALS, "Mardi"), {"jours": ["Lundi", "Mardi"]}, True),
        (Rule("case", Operator.TICKED), {"case": True}, True),
        (Rule("case", Operator.TICKED), {"case": "oui"}, True),
        (Rule("case", Operator.TICKED), {"case": False}, False),
        (Rule("case", Operator.NOT_TICKED), {}, True),
        (Rule("case", Operator.NOT_TICKED), {"case": "non"}, True),
        (Rule("volume", Operator.GREATER, "20"), {"volume": "21"}, True),
        (Rule("volume", Operator.GREATER, "20"), {"volume": "20"}, False),
        (Rule("volume", Operator.AT_LEAST, "20"), {"volume": "20"}, True),
        (Rule("volume", Operator.LESS, "20,5"), {"volume": "20"}, True),
        (Rule("volume", Operator.AT_MOST, "20"), {"volume": "pas un nombre"}, False),
        (Rule("du", Operator.AT_LEAST, "01/07/2026"), {"du": "2026-07-01"}, True),
        (Rule("du", Operator.LESS, "2026-07-01"), {"du": "2026-07-02"}, False),
    ],
)
def test_each_operator_on_an_earlier_answer(rule, answers, expected):
    assert rule_holds(rule, answers, NOBODY, KINDS) is expected


CHILD = Subject(birth_date=date(2018, 5, 1))
ADULT = Subject(birth_date=date(1980, 5, 1))


@pytest.mark.parametrize(
    ("rule", "subject", "expected"),
    [
        (Rule("", Operator.SUBJECT_CHILD), CHILD, True),
        (Rule("", Operator.SUBJECT_CHILD), ADULT, False),
        (Rule("", Operator.SUBJECT_ADULT), ADULT, True),
        (Rule("", Operator.SUBJECT_UNDER, "11"), CHILD, True),
        (Rule("", Operator.SUBJECT_UNDER, "3"), CHILD, False),
        (Rule("", Operator.SUBJECT_CHILD), NOBODY, False),
    ],
)
def test_conditions_on_what_the_account_knows_of_the_person_concerned(rule, subject, expected):
    assert rule_holds(rule, {}, subject, {}) is expected


def question(name, *rules, join="et", kind="short_text", required=True):
    return Question(name=name, label=name.capitalize(), kind=kind, required=required,
                    conditions=list(rules), join=join)  # fmt: skip


def test_et_needs_every_rule_and_ou_one_of_them():
    rules = [Rule("a", Operator.EQUALS, "1"), Rule("b", Operator.EQUALS, "2")]
    both = question("c", *rules, join="et")
    either = question("c", *rules, join="ou")
    assert shown(both, {"a": "1", "b": "2"}, NOBODY, {})
    assert not shown(both, {"a": "1", "b": "3"}, NOBODY, {})
    assert shown(either, {"a": "1", "b": "3"}, NOBODY, {})
    assert not shown(either, {"a": "0", "b": "3"}, NOBODY, {})


def test_a_chain_falls_with_its_head_and_unknown_keys_are_dropped():
    from procedures.catalogue.definition import Definition

    definition = Definition(
        pages=[
            Page(
                "Une",
                [
                    question("a"),
                    question("b", Rule("a", Operator.EQUALS, "oui")),
                    question("c", Rule("b", Operator.EQUALS, "oui")),
                ],
            )
        ]
    )
    answers = {"a": "non", "b": "oui", "c": "oui", "inconnue": "x"}
    assert prune(definition, answers, NOBODY) == {"a": "non"}
    assert prune(definition, {"a": "oui", "b": "oui", "c": "z"}, NOBODY) == {
        "a": "oui",
        "b": "oui",
        "c": "z",
    }


def test_a_condition_reads_in_words():
    item = question("volume", Rule("motif", Operator.EQUALS, "Déménagement"))
    assert in_words(item, {"motif": "Motif"}) == (
        "Seulement si « Motif » est égal à « Déménagement »."
    )


# Through the pages and the services


@pytest.fixture
def parking(db):
    return demo_form("permis-de-stationnement")


def first_page(**extra) -> dict:
    return {
        "f_motif": "Benne à gravats",
        "f_date_debut": "2030-06-01",
        "f_date_fin": "2030-06-02",
        **extra,
    }


@pytest.mark.django_db
def test_a_crafted_post_for_a_hidden_question_stores_nothing_of_it(citizen_client, parking):
    url = reverse("procedures:start", args=[parking.slug])
    response = citizen_client.post(url, first_page(f_volume_camion="250"))
    assert response.status_code == 302
    draft = Request.objects.get()
    assert "volume_camion" not in draft.answers
    assert draft.answers["motif"] == "Benne à gravats"


@pytest.mark.django_db
def test_a_shown_question_is_required_and_validated(citizen_client, parking):
    url = reverse("procedures:start", args=[parking.slug])
    response = citizen_client.post(url, first_page(f_motif="Déménagement ou emménagement"))
    assert response.status_code == 200
    assert "f_volume_camion" in response.context["form"].errors
    response = citizen_client.post(
        url, first_page(f_motif="Déménagement ou emménagement", f_volume_camion="250")
    )
    assert response.context["form"].errors["f_volume_camion"] == [
        "Assurez-vous que cette valeur est inférieure ou égale à 100."
    ]
    response = citizen_client.post(
        url, first_page(f_motif="Déménagement ou emménagement", f_volume_camion="20")
    )
    assert response.status_code == 302
    assert Request.objects.get().answers["volume_camion"] == "20"


@pytest.mark.django_db
def test_changing_an_earlier_answer_drops_what_it_no_longer_shows(citizen_client, parking):
    url = reverse("procedures:start", args=[parking.slug])
    citizen_client.post(
        url, first_page(f_motif="Déménagement ou emménagement", f_volume_camion="20")
    )
    draft = Request.objects.get()
    citizen_client.post(reverse("procedures:page", args=[draft.pk, 1]), first_page())
    draft.refresh_from_db()
    assert "volume_camion" not in draft.answers


# The property: whatever is posted


MOTIFS = ["Déménagement ou emménagement", "Benne à gravats", "Échafaudage", "", "Autre"]


@pytest.mark.django_db
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    motif=st.sampled_from(MOTIFS),
    volume=st.one_of(st.none(), st.integers(-5, 500).map(str), st.text(max_size=5)),
    extra=st.dictionaries(
        st.sampled_from(["lampadaire", "x", "volume_camion"]), st.text(max_size=5)
    ),
)
def test_whatever_is_posted_no_hidden_answer_reaches_the_database(
    citizen, parking, motif, volume, extra
):
    answers = {"motif": motif, "date_debut": "2030-06-01", "date_fin": "2030-06-02", **extra}
    if volume is not None:
        answers["volume_camion"] = volume
    draft = services.request_draft_save(
        account=citizen, procedure=parking, member=None, answers=answers
    )
    stored = Request.objects.get(pk=draft.pk).answers
    definition = definition_of(parking)
    assert set(stored) <= {name for _page, q in definition.questions() for name in [q.name]}
    if motif != "Déménagement ou emménagement":
        assert "volume_camion" not in stored
    # A required hidden question never blocks sending: only what is shown is missing.
    from procedures.selectors import missing_answers

    labels = {row["label"] for row in missing_answers(Request.objects.get(pk=draft.pk))}
    if motif != "Déménagement ou emménagement":
        assert "Volume du camion" not in labels
    Request.objects.filter(pk=draft.pk).delete()
