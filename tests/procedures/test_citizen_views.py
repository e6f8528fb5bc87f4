import pytest
from captcha.models import CaptchaStore
from django.urls import reverse

from procedures import services
from procedures.models import Procedure, Request, RequestState
from tests.procedures.conftest import upload
from tests.procedures.factories import (
    ProcedureFactory,
    ThemeFactory,
    bulky_waste,
    complete_answers,
    school_enrolment,
)

VALID = {
    "f_date_souhaitee": "2026-12-10",
    "f_objets": "Un canapé et une armoire",
    "f_acces": "Rez-de-chaussée",
}


def submit_via_views(client, procedure, data=None, files=None):
    response = client.post(
        reverse("procedures:start", args=[procedure.slug]),
        {**VALID, **(data or {}), **(files or {})},
    )
    assert response.status_code == 302, (
        response.context["form"].errors if response.context else response
    )
    draft = Request.objects.latest("pk")
    client.post(reverse("procedures:summary", args=[draft.pk]))
    draft.refresh_from_db()
    return draft


@pytest.mark.django_db
def test_the_catalogue_shows_themes_then_procedures(citizen_client):
    procedure = bulky_waste(theme=ThemeFactory(title="Environnement", slug="environnement"))
    ProcedureFactory(theme=procedure.theme, title="Cachée", published=False)
    page = citizen_client.get(reverse("procedures:catalogue")).content.decode()
    assert "Environnement" in page
    theme_page = citizen_client.get(
        reverse("procedures:theme", args=["environnement"])
    ).content.decode()
    assert "Collecte des encombrants" in theme_page
    assert "Cachée" not in theme_page


@pytest.mark.django_db
def test_the_search_box_filters_procedures_by_words(citizen_client):
    bulky_waste()
    school_enrolment()
    page = citizen_client.get(
        reverse("procedures:catalogue"), {"q": "encombrants collecte"}
    ).content.decode()
    assert "1 démarche trouvée" in page
    assert "Collecte des encombrants" in page
    assert "Inscription scolaire</a>" not in page


@pytest.mark.django_db
def test_the_form_is_built_from_the_definition(citizen_client):
    procedure = bulky_waste()
    page = citizen_client.get(reverse("procedures:start", args=[procedure.slug])).content.decode()
    for text in (
        "Date souhaitée",
        "Objets à enlever",
        "Étage sans ascenseur",
        "Justificatif de domicile",
        "apporter sur papier",
        "Enregistrer le brouillon",
    ):
        assert text in page


@pytest.mark.django_db
def test_bad_input_gets_french_errors_beside_each_field_and_saves_nothing(citizen_client):
    procedure = bulky_waste()
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]),
        {"f_date_souhaitee": "demain", "f_acces": "Au grenier"},
    )
    errors = response.context["form"].errors
    assert errors["f_date_souhaitee"] == ["Saisissez une date valide."]
    assert errors["f_objets"] == ["Ce champ est obligatoire."]
    assert "Sélectionnez un choix valide" in errors["f_acces"][0]
    assert 'class="error-summary"' in response.content.decode()
    assert Request.objects.count() == 0


@pytest.mark.django_db
def test_a_file_refused_by_content_is_reported_beside_its_field(citizen_client):
    procedure = bulky_waste()
    doc = procedure.documents.get()
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]),
        {**VALID, f"doc_{doc.pk}": upload("facture.pdf", b"MZ\x90\x00" * 20)},
    )
    assert (
        "n'est pas un PDF, un JPEG ou un PNG" in response.context["form"].errors[f"doc_{doc.pk}"][0]
    )
    assert Request.objects.count() == 0


@pytest.mark.django_db
def test_the_summary_shows_every_answer_with_a_modifier_link_and_sends(citizen_client, citizen):
    procedure = bulky_waste()
    response = citizen_client.post(reverse("procedures:start", args=[procedure.slug]), VALID)
    draft = Request.objects.get()
    assert response["Location"] == reverse("procedures:summary", args=[draft.pk])
    page = citizen_client.get(response["Location"]).content.decode()
    assert "Récapitulatif" in page and "Envoyer ma demande" in page
    assert "10/12/2026" in page and "Un canapé et une armoire" in page
    assert page.count(">Modifier<") >= 3
    assert f"/demandes/brouillon/{draft.pk}/page/1/#id_f_objets" in page
    assert "À apporter sur papier" in page

    sent = citizen_client.post(response["Location"])
    draft.refresh_from_db()
    assert draft.state == RequestState.SUBMITTED
    assert sent["Location"] == reverse("procedures:confirmation", args=[draft.pk])
    confirmation = citizen_client.get(sent["Location"]).content.decode()
    assert draft.number in confirmation
    assert "Guichet Unique" in confirmation
    assert reverse("procedures:pdf", args=[draft.pk]) in confirmation


@pytest.mark.django_db
def test_modifier_returns_to_the_summary_with_the_change(citizen_client):
    procedure = bulky_waste()
    citizen_client.post(reverse("procedures:start", args=[procedure.slug]), VALID)
    draft = Request.objects.get()
    edit = reverse("procedures:edit", args=[draft.pk])
    form_page = citizen_client.get(edit).content.decode()
    assert "Un canapé et une armoire" in form_page  # pre-filled
    response = citizen_client.post(edit, {**VALID, "f_objets": "Un frigo"})
    assert response["Location"] == reverse("procedures:summary", args=[draft.pk])
    draft.refresh_from_db()
    assert draft.answers["objets"] == "Un frigo"


@pytest.mark.django_db
def test_a_draft_is_saved_and_resumed_from_accueil(citizen_client):
    procedure = bulky_waste()
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]), {**VALID, "save_draft": "1"}
    )
    assert response["Location"] == reverse("home")
    draft = Request.objects.get()
    home = citizen_client.get(reverse("home")).content.decode()
    assert "Mes brouillons" in home
    assert reverse("procedures:summary", args=[draft.pk]) in home


@pytest.mark.django_db
def test_the_member_is_chosen_from_the_household_and_shown_read_only(
    citizen_client, child, citizen
):
    procedure = school_enrolment()
    page = citizen_client.get(reverse("procedures:start", args=[procedure.slug])).content.decode()
    assert "Léa" in page
    assert (
        citizen.first_name not in page.split("Personne concernée")[1].split("</fieldset>")[0]
    )  # adults excluded
    citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]), {"member": child.pk, "f_niveau": "CP"}
    )
    draft = Request.objects.get()
    summary = citizen_client.get(reverse("procedures:summary", args=[draft.pk])).content.decode()
    assert "Léa" in summary and "02/05/2018" in summary


@pytest.mark.django_db
def test_another_households_member_cannot_be_chosen(citizen_client, other_citizen):
    from households.services import household_get_or_create

    stranger = household_get_or_create(account=other_citizen).members.get()
    procedure = ProcedureFactory(concerns=Procedure.Concerns.ANY_MEMBER)
    response = citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]), {"member": stranger.pk}
    )
    assert "member" in response.context["form"].errors
    assert Request.objects.count() == 0


@pytest.mark.django_db
def test_a_pending_account_submits_procedures(client, pending_citizen):
    client.force_login(pending_citizen)
    draft = submit_via_views(client, bulky_waste())
    assert draft.state == RequestState.SUBMITTED and draft.account == pending_citizen


@pytest.mark.django_db
def test_demandes_lists_number_date_member_and_progress_and_filters_by_state(
    citizen_client, citizen, clerk
):
    first = submit_via_views(citizen_client, bulky_waste())
    second = submit_via_views(citizen_client, bulky_waste())
    services.request_transition(citizen_request=second, name="accept", by=clerk)
    page = citizen_client.get(reverse("procedures:request_list")).content.decode()
    assert first.number in page and second.number in page
    assert first.subject_name in page
    assert "Étape 1 sur 4 : Reçue" in page and "Étape 3 sur 4 : Acceptée" in page
    assert reverse("procedures:pdf", args=[first.pk]) in page
    accepted = citizen_client.get(
        reverse("procedures:request_list"), {"etat": "accepted"}
    ).content.decode()
    assert second.number in accepted and first.number not in accepted


@pytest.mark.django_db
def test_the_history_shown_to_the_citizen_hides_clerks_names(citizen_client, clerk):
    sent = submit_via_views(citizen_client, bulky_waste())
    services.request_transition(
        citizen_request=sent, name="refuse", by=clerk, comment="Hors commune"
    )
    page = citizen_client.get(reverse("procedures:detail", args=[sent.pk])).content.decode()
    assert "Hors commune" in page and "la mairie" in page
    assert clerk.last_name not in page


@pytest.mark.django_db
def test_the_citizen_cancels_and_answers_from_the_portal(citizen_client, clerk):
    sent = submit_via_views(citizen_client, bulky_waste())
    citizen_client.post(reverse("procedures:cancel", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.state == RequestState.CANCELLED

    waiting = submit_via_views(citizen_client, bulky_waste())
    services.request_transition(citizen_request=waiting, name="start", by=clerk)
    services.request_transition(
        citizen_request=waiting, name="ask_citizen", by=clerk, comment="Photo ?"
    )
    empty = citizen_client.post(reverse("procedures:detail", args=[waiting.pk]), {"message": ""})
    assert "Écrivez un message ou joignez un document." in empty.content.decode()
    citizen_client.post(
        reverse("procedures:detail", args=[waiting.pk]),
        {"message": "La voici", "document": upload("photo.png")},
    )
    waiting.refresh_from_db()
    assert waiting.state == RequestState.IN_PROGRESS
    document = waiting.documents.get()
    download = citizen_client.get(reverse("procedures:document", args=[waiting.pk, document.pk]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")


@pytest.mark.django_db
def test_another_households_request_draft_and_document_answer_404(
    client, citizen_client, other_citizen
):
    sent = submit_via_views(citizen_client, bulky_waste())
    procedure = bulky_waste()
    doc = procedure.documents.get()
    citizen_client.post(
        reverse("procedures:start", args=[procedure.slug]),
        {**VALID, f"doc_{doc.pk}": upload("justificatif.pdf"), "save_draft": "1"},
    )
    draft = Request.objects.drafts().get()
    document = draft.documents.get()
    client.force_login(other_citizen)
    for url in (
        reverse("procedures:detail", args=[sent.pk]),
        reverse("procedures:summary", args=[draft.pk]),
        reverse("procedures:edit", args=[draft.pk]),
        reverse("procedures:document", args=[draft.pk, document.pk]),
        reverse("procedures:confirmation", args=[sent.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("procedures:cancel", args=[sent.pk])).status_code == 404
    assert client.post(reverse("procedures:delete", args=[draft.pk])).status_code == 404
    assert Request.objects.filter(pk=draft.pk).exists()


def count_queries(client, url, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx)


@pytest.mark.django_db
@pytest.mark.parametrize("url_name", ["home", "procedures:request_list"])
def test_accueil_and_demandes_cost_the_same_queries_for_1_and_50_requests(
    citizen_client, citizen, url_name, django_assert_num_queries
):
    procedure = bulky_waste()
    first = services.request_draft_save(
        account=citizen, procedure=procedure, member=None, answers=complete_answers(procedure, {})
    )
    services.request_submit(citizen_request=first, by=citizen)
    url = reverse(url_name)
    one = count_queries(citizen_client, url, django_assert_num_queries)
    for _ in range(49):
        draft = services.request_draft_save(
            account=citizen,
            procedure=procedure,
            member=None,
            answers=complete_answers(procedure, {}),
        )
        services.request_submit(citizen_request=draft, by=citizen)
    with django_assert_num_queries(one):
        citizen_client.get(url)


@pytest.mark.django_db
def test_a_procedure_may_ask_for_the_captcha(citizen_client):
    procedure = bulky_waste(captcha_required=True)
    url = reverse("procedures:start", args=[procedure.slug])
    assert "Cryptogramme" in citizen_client.get(url).content.decode()
    live = CaptchaStore.generate_key()
    wrong = citizen_client.post(url, {**VALID, "captcha_0": live, "captcha_1": "FAUX"})
    assert "Le cryptogramme est incorrect" in wrong.content.decode()
    assert Request.objects.count() == 0
    citizen_client.post(url, {**VALID, "captcha_0": "x", "captcha_1": "PASSED"})
    assert Request.objects.count() == 1


@pytest.mark.django_db
def test_an_empty_draft_is_saved_with_its_document_and_a_bad_value_still_refused(
    citizen_client, citizen
):
    procedure = bulky_waste()
    doc = procedure.documents.get()
    url = reverse("procedures:start", args=[procedure.slug])
    response = citizen_client.post(
        url, {"save_draft": "1", f"doc_{doc.pk}": upload("justificatif.pdf")}
    )
    assert response.status_code == 302
    draft = Request.objects.get(account=citizen)
    assert draft.state == RequestState.DRAFT and draft.documents.count() == 1

    refused = citizen_client.post(url, {"save_draft": "1", "f_date_souhaitee": "demain"})
    assert refused.context["form"].errors == {"f_date_souhaitee": ["Saisissez une date valide."]}
    assert Request.objects.count() == 1

    summary = citizen_client.get(reverse("procedures:summary", args=[draft.pk])).content.decode()
    assert "Votre demande est incomplète" in summary
    assert "Envoyer ma demande" not in summary
    assert f'href="{reverse("procedures:page", args=[draft.pk, 1])}#id_f_acces_0"' in summary
    sent = citizen_client.post(reverse("procedures:summary", args=[draft.pk]), follow=True)
    assert "Votre demande est incomplète" in sent.content.decode()
    draft.refresh_from_db()
    assert draft.state == RequestState.DRAFT
