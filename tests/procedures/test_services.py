from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed

from procedures import services
from procedures.models import Request, RequestDocument, RequestEvent, RequestState
from procedures.uploads import MAX_DOCUMENTS_PER_REQUEST
from tests.procedures.conftest import upload
from tests.procedures.factories import bulky_waste, complete_answers, school_enrolment


def draft_for(citizen, procedure, member=None, answers=None, uploads=()):
    return services.request_draft_save(
        account=citizen,
        procedure=procedure,
        member=member,
        answers=complete_answers(procedure, answers or {"objets": "Un canapé"}),
        uploads=uploads,
    )


def submitted(citizen, clerk=None, procedure=None, member=None):
    draft = draft_for(citizen, procedure or bulky_waste(), member)
    return services.request_submit(citizen_request=draft, by=citizen)


@pytest.mark.django_db
def test_submitting_numbers_the_request_and_records_the_history(citizen, household):
    request = submitted(citizen)
    assert request.state == RequestState.SUBMITTED
    assert request.number.startswith(f"{timezone.localdate().year}-") and len(request.number) == 11
    event = request.events.get()
    assert (event.from_state, event.to_state, event.actor) == (
        RequestState.DRAFT,
        RequestState.SUBMITTED,
        citizen,
    )


@pytest.mark.django_db
def test_numbers_follow_each_other_without_gap(citizen, household):
    numbers = [submitted(citizen).number for _ in range(3)]
    serials = [int(n.split("-")[1]) for n in numbers]
    assert serials == [serials[0], serials[0] + 1, serials[0] + 2]


@pytest.mark.django_db
def test_submitting_twice_sends_once(citizen, household):
    draft = draft_for(citizen, bulky_waste())
    first = services.request_submit(citizen_request=draft, by=citizen)
    second = services.request_submit(citizen_request=draft, by=citizen)
    assert first.number == second.number
    assert RequestEvent.objects.filter(request=draft).count() == 1


@pytest.mark.django_db
def test_the_member_is_copied_so_later_edits_do_not_rewrite_history(citizen, child):
    request = submitted(citizen, procedure=school_enrolment(), member=child)
    child.first_names = "Léonie"
    child.save()
    citizen.address = "99 avenue Ailleurs"
    citizen.save()
    request.refresh_from_db()
    assert request.subject_name == f"Léa {citizen.last_name}"
    assert request.subject_birth_date == date(2018, 5, 2)
    assert "12 rue des Écoles" in request.address


@pytest.mark.django_db
def test_a_pending_account_can_submit(pending_citizen):
    from households.services import household_get_or_create

    household_get_or_create(account=pending_citizen)
    request = submitted(pending_citizen)
    assert request.state == RequestState.SUBMITTED


LEGAL_PATHS = [
    ["start", "accept", "complete"],
    ["start", "ask_citizen", "citizen_reply", "refuse"],
    ["accept"],
    ["refuse"],
    ["start", "ask_citizen", "refuse"],
]


@pytest.mark.django_db
@pytest.mark.parametrize("path", LEGAL_PATHS)
def test_every_legal_path_is_allowed_and_recorded(citizen, household, clerk, path):
    request = submitted(citizen)
    for name in path:
        if name == "citizen_reply":
            request = services.request_reply(
                citizen_request=request, by=citizen, message="Voici la pièce."
            )
        else:
            request = services.request_transition(
                citizen_request=request, name=name, by=clerk, comment="Motif : dossier incomplet."
            )
    events = list(request.events.order_by("at", "pk"))
    assert [e.transition for e in events] == ["submit", *path]
    assert all(e.to_state for e in events)
    assert events[-1].to_state == request.state


ILLEGAL = [
    (RequestState.SUBMITTED, "complete"),
    (RequestState.SUBMITTED, "ask_citizen"),
    (RequestState.ACCEPTED, "refuse"),
    (RequestState.ACCEPTED, "start"),
    (RequestState.REFUSED, "accept"),
    (RequestState.DONE, "start"),
    (RequestState.CANCELLED, "start"),
]


def bring_to(request, state, clerk, citizen):
    paths = {
        RequestState.SUBMITTED: [],
        RequestState.ACCEPTED: ["accept"],
        RequestState.REFUSED: ["refuse"],
        RequestState.DONE: ["accept", "complete"],
    }
    if state == RequestState.CANCELLED:
        return services.request_cancel(citizen_request=request, by=citizen)
    for name in paths[state]:
        request = services.request_transition(
            citizen_request=request, name=name, by=clerk, comment="x"
        )
    return request


@pytest.mark.django_db
@pytest.mark.parametrize(("state", "name"), ILLEGAL)
def test_illegal_moves_are_impossible(citizen, household, clerk, state, name):
    request = bring_to(submitted(citizen), state, clerk, citizen)
    with pytest.raises(services.RequestError):
        services.request_transition(citizen_request=request, name=name, by=clerk, comment="x")
    request.refresh_from_db()
    assert request.state == state


@pytest.mark.django_db
def test_the_state_cannot_be_assigned_by_hand(citizen, household):
    request = submitted(citizen)
    with pytest.raises(AttributeError):
        request.state = RequestState.ACCEPTED
    with pytest.raises(TransitionNotAllowed):
        request.complete()


@pytest.mark.django_db
def test_a_refusal_needs_a_reason(citizen, household, clerk):
    request = submitted(citizen)
    with pytest.raises(services.RequestError, match="commentaire est obligatoire"):
        services.request_transition(citizen_request=request, name="refuse", by=clerk, comment="  ")
    request.refresh_from_db()
    assert request.state == RequestState.SUBMITTED


@pytest.mark.django_db
def test_the_citizen_cancels_only_while_nothing_has_started(citizen, household, clerk):
    request = submitted(citizen)
    assert (
        services.request_cancel(citizen_request=request, by=citizen).state == RequestState.CANCELLED
    )
    started = services.request_transition(
        citizen_request=submitted(citizen), name="start", by=clerk
    )
    with pytest.raises(services.RequestError, match="ne peut plus être annulée"):
        services.request_cancel(citizen_request=started, by=citizen)


@pytest.mark.django_db
def test_the_citizen_answers_only_when_the_service_waits(citizen, household, clerk):
    request = submitted(citizen)
    with pytest.raises(services.RequestError):
        services.request_reply(citizen_request=request, by=citizen, message="Bonjour")
    request = services.request_transition(citizen_request=request, name="start", by=clerk)
    request = services.request_transition(
        citizen_request=request, name="ask_citizen", by=clerk, comment="Joignez un justificatif."
    )
    request = services.request_reply(
        citizen_request=request,
        by=citizen,
        message="Le voici",
        uploads=[upload("domicile.pdf", source="justificatif.pdf")],
    )
    assert request.state == RequestState.IN_PROGRESS
    assert request.documents.count() == 1


@pytest.mark.django_db
def test_accepting_a_dated_procedure_keeps_the_date(citizen, household, clerk):
    request = services.request_transition(
        citizen_request=submitted(citizen),
        name="accept",
        by=clerk,
        appointment_date=date(2026, 12, 3),
    )
    assert request.appointment_date == date(2026, 12, 3)
    assert request.decided_at is not None


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content_type"),
    [
        ("justificatif.pdf", "application/pdf"),
        ("photo.png", "image/png"),
        ("photo.jpg", "image/jpeg"),
    ],
)
def test_pdf_jpeg_and_png_are_accepted_by_content_and_stored_under_a_random_name(
    citizen, household, name, content_type
):
    procedure = bulky_waste()
    requirement = procedure.documents.get()
    draft = draft_for(
        citizen, procedure, uploads=[(requirement, "", upload(f"mon {name}", source=name))]
    )
    document = draft.documents.get()
    assert document.original_name == f"mon {name}"
    assert name.split(".")[0] not in document.file.name
    assert document.content_type == content_type


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("facture.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100),  # a Windows executable named .pdf
        ("photo.png", b"\x89PNG\r\n\x1a\n" + b"garbage" * 10),  # a broken image
        ("script.pdf", b"#!/bin/sh\nrm -rf /\n"),
    ],
)
def test_files_are_refused_by_content_not_by_name(citizen, household, name, content):
    with pytest.raises(ValidationError, match="n'est pas un PDF, un JPEG ou un PNG"):
        draft_for(citizen, bulky_waste(), uploads=[(None, "", upload(name, content))])
    assert Request.objects.count() == 0  # nothing half-saved


@pytest.mark.django_db
def test_files_over_10_mb_are_refused(citizen, household):
    big = b"%PDF-1.4\n" + b"0" * (10 * 1024 * 1024)
    with pytest.raises(ValidationError, match="dépasse 10 Mo"):
        draft_for(citizen, bulky_waste(), uploads=[(None, "", upload("gros.pdf", big))])


@pytest.mark.django_db
def test_a_request_holds_a_limited_number_of_documents(citizen, household):
    draft = draft_for(citizen, bulky_waste())
    for i in range(MAX_DOCUMENTS_PER_REQUEST):
        services.document_add(
            citizen_request=draft, upload=upload(f"{i}.pdf", source="justificatif.pdf")
        )
    with pytest.raises(ValidationError, match="au plus"):
        services.document_add(
            citizen_request=draft, upload=upload("x.pdf", source="justificatif.pdf")
        )
    assert RequestDocument.objects.filter(request=draft).count() == MAX_DOCUMENTS_PER_REQUEST


@pytest.mark.django_db
def test_drafts_are_kept_30_days(citizen, household, time_machine):
    time_machine.move_to("2026-10-01 10:00 +02:00", tick=False)
    old = draft_for(citizen, bulky_waste())
    time_machine.move_to("2026-10-25 10:00 +02:00", tick=False)
    recent = draft_for(citizen, bulky_waste())
    sent = submitted(citizen)
    time_machine.move_to("2026-11-01 10:00 +01:00", tick=False)
    assert services.drafts_purge() == 1
    assert set(Request.objects.values_list("pk", flat=True)) == {recent.pk, sent.pk}
    assert old.pk not in Request.objects.values_list("pk", flat=True)


@pytest.mark.django_db
def test_a_member_with_a_request_in_progress_cannot_leave_the_household(citizen, child, clerk):
    from households.services import member_removal_refusals

    request = submitted(citizen, procedure=school_enrolment(), member=child)
    assert any("demande en cours" in r for r in member_removal_refusals(member=child))
    services.request_transition(citizen_request=request, name="refuse", by=clerk, comment="Complet")
    assert member_removal_refusals(member=child) == []


@pytest.mark.django_db
def test_an_incomplete_draft_is_kept_but_not_sent(citizen, household):
    procedure = bulky_waste()
    draft = services.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers={"objets": "Un canapé"}
    )
    with pytest.raises(services.RequestError, match="« Date souhaitée », « Accès »"):
        services.request_submit(citizen_request=draft, by=citizen)
    draft.refresh_from_db()
    assert draft.state == RequestState.DRAFT and draft.number is None
    assert not RequestEvent.objects.filter(request=draft).exists()


@pytest.mark.django_db
def test_a_draft_about_nobody_yet_asks_for_the_person_concerned(citizen, child):
    draft = services.request_draft_save(
        account=citizen, procedure=school_enrolment(), member=None, answers={"niveau": "CP"}
    )
    with pytest.raises(services.RequestError, match="« Personne concernée »"):
        services.request_submit(citizen_request=draft, by=citizen)
