"""The demo catalogue that `manage.py seed_demo` loads (demo/catalogue.py)."""

import re
from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from demo import catalogue as demo_catalogue
from households.models import Member, Relationship, Sex
from households.services import household_get_or_create
from procedures.catalogue.definition import definition_of
from procedures.catalogue.page_form import PageForm
from procedures.models import DocumentRequirement, Procedure, ProcedureField, Theme

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue():
    demo_catalogue.seed()


def snapshot() -> dict:
    """Everything the seed writes, as plain values, to compare two runs."""
    return {
        "themes": list(Theme.objects.order_by("slug").values()),
        "procedures": list(Procedure.objects.order_by("slug").values()),
        "fields": list(ProcedureField.objects.order_by("pk").values()),
        "documents": list(DocumentRequirement.objects.order_by("pk").values()),
        "theme_groups": sorted(Theme.groups.through.objects.values_list("theme_id", "group_id")),
    }


def form_for(procedure: Procedure, data=None, members=(), page=0) -> PageForm:
    """The citizen's form of one page, as the views build it (the documents on it)."""
    from procedures.views.drafts import member_field

    definition = definition_of(procedure)
    members = list(members)
    return PageForm(
        data,
        definition=definition,
        page=page,
        answers={},
        members=members,
        member_field=member_field(procedure, members) if procedure.concerns_a_member else None,
        documents=definition.documents,
    )


def test_a_second_run_changes_nothing_and_duplicates_nothing():
    demo_catalogue.seed()
    first = snapshot()
    demo_catalogue.seed()
    assert snapshot() == first
    assert len(first["procedures"]) == sum(len(t.procedures) for t in demo_catalogue.CATALOGUE)
    assert len(first["fields"]) > 20


def test_a_second_run_puts_back_what_was_changed_in_the_demo_procedures(catalogue):
    procedure = Procedure.objects.get(slug="acte-de-naissance")
    Procedure.objects.filter(pk=procedure.pk).update(captcha_required=False, published=False)
    ProcedureField.objects.filter(name="date_souhaitee").update(required=False)

    demo_catalogue.seed()

    procedure.refresh_from_db()
    assert procedure.captcha_required and procedure.published
    assert ProcedureField.objects.get(name="date_souhaitee").required


def test_it_returns_the_numbers_of_themes_and_procedures_it_loaded():
    assert demo_catalogue.seed() == (Theme.objects.count(), Procedure.objects.count())


def test_the_themes_are_those_of_a_town_hall_in_order(catalogue):
    titles = list(Theme.objects.values_list("title", flat=True))
    assert titles[:4] == [
        "État civil",
        "Scolaire et périscolaire",
        "Environnement",
        "Voirie et espace public",
    ]
    assert {"Citoyenneté", "Vie associative et salles", "Sport et culture"} <= set(titles)
    assert all(Theme.objects.values_list("description", flat=True))


def test_birth_marriage_and_death_certificates_need_no_account_but_a_captcha(catalogue):
    certificates = Procedure.objects.filter(theme__slug="etat-civil")
    assert set(certificates.values_list("title", flat=True)) == {
        "Acte de naissance",
        "Acte de mariage",
        "Acte de décès",
    }
    for procedure in certificates:
        assert procedure.kind == Procedure.Kind.CIVIL_STATUS
        assert not procedure.account_required
        assert procedure.captcha_required
        assert procedure.concerns == Procedure.Concerns.NOBODY
        assert procedure.service_name == "Service État civil"
        assert procedure.silence_rule == Procedure.Silence.NONE
        assert not procedure.fields.exists()
        assert procedure.description


def test_only_the_certificates_are_open_without_an_account(catalogue):
    open_to_all = Procedure.objects.filter(account_required=False)
    assert set(open_to_all.values_list("kind", flat=True)) == {Procedure.Kind.CIVIL_STATUS}
    assert not Procedure.objects.filter(account_required=True, captcha_required=True).exists()


def test_the_bulky_waste_pickup_is_dated_by_the_town_from_a_wished_date(catalogue):
    pickup = Procedure.objects.get(slug="collecte-des-encombrants")
    assert pickup.theme.title == "Environnement"
    assert pickup.has_appointment
    assert pickup.concerns == Procedure.Concerns.HOUSEHOLD
    assert pickup.silence_rule == Procedure.Silence.NONE
    kinds = dict(pickup.fields.values_list("name", "kind"))
    assert kinds == {
        "date_souhaitee": ProcedureField.Kind.DATE,
        "description_objets": ProcedureField.Kind.LONG_TEXT,
        "volume_estime": ProcedureField.Kind.NUMBER,
        "acces": ProcedureField.Kind.CHOICE,
    }
    assert "rappel la veille" in pickup.description
    assert Procedure.objects.filter(has_appointment=True).count() == 1


def test_a_problem_on_public_space_may_come_with_a_photo(catalogue):
    report = Procedure.objects.get(slug="signaler-un-probleme")
    assert report.theme.title == "Voirie et espace public"
    photo = report.fields.get(kind=ProcedureField.Kind.FILE)
    assert photo.name == "photo"
    assert not photo.required
    assert "Nid-de-poule" in report.fields.get(name="type_probleme").choice_list


def test_school_canteen_and_after_school_registrations_concern_a_child(catalogue):
    school = Procedure.objects.filter(theme__slug="scolaire-et-periscolaire")
    assert school.count() == 3
    assert set(school.values_list("concerns", flat=True)) == {Procedure.Concerns.CHILD}
    enrolment = school.get(slug="inscription-scolaire")
    assert len(enrolment.fields.get(name="ecole_souhaitee").choice_list) == 3
    assert enrolment.fields.get(name="niveau").choice_list[0] == "Petite section"
    assert enrolment.fields.get(name="niveau").choice_list[-1] == "CM2"
    assert not enrolment.fields.get(name="commentaire").required
    assert enrolment.documents.count() == 3
    canteen = school.get(slug="restauration-scolaire")
    assert canteen.fields.get(name="jours").choice_list == ["Lundi", "Mardi", "Jeudi", "Vendredi"]
    assert canteen.fields.get(name="jours").kind == ProcedureField.Kind.MULTIPLE_CHOICE


def test_the_silence_rules_are_those_of_the_law(catalogue):
    room = Procedure.objects.get(slug="reservation-de-salle")
    assert (room.silence_rule, room.silence_delay_days) == (Procedure.Silence.REFUSAL, 60)
    for slug in ("inscription-listes-electorales", "inscription-scolaire", "acte-de-naissance"):
        assert Procedure.objects.get(slug=slug).silence_rule == Procedure.Silence.NONE
    with_rule = Procedure.objects.exclude(silence_rule=Procedure.Silence.NONE)
    assert not with_rule.filter(silence_delay_days__isnull=True).exists()


def test_voter_registration_concerns_an_adult_with_identity_and_address(catalogue):
    registration = Procedure.objects.get(slug="inscription-listes-electorales")
    assert registration.concerns == Procedure.Concerns.ADULT
    assert list(registration.documents.values_list("label", flat=True)) == [
        "Pièce d'identité",
        "Justificatif de domicile de moins de 3 mois",
    ]


def test_every_procedure_is_published_and_explained_with_its_service(catalogue):
    for procedure in Procedure.objects.all():
        assert procedure.published
        assert procedure.summary and "\n" not in procedure.summary
        assert procedure.description
        assert procedure.service_name
        assert re.search(r"\d\d \d\d \d\d \d\d \d\d .*@mairie\.example", procedure.service_contact)


def test_every_field_has_a_snake_case_name_and_every_choice_field_its_choices(catalogue):
    for definition in ProcedureField.objects.all():
        assert re.fullmatch(r"[a-z][a-z0-9]*(_[a-z0-9]+)*", definition.name), definition.name
        if definition.kind in (ProcedureField.Kind.CHOICE, ProcedureField.Kind.MULTIPLE_CHOICE):
            assert len(definition.choice_list) >= 2, definition.name
        else:
            assert definition.choices == "", definition.name


def test_the_form_of_every_standard_procedure_can_be_built(catalogue):
    standard = Procedure.objects.published().filter(kind=Procedure.Kind.STANDARD)
    assert standard.count() >= 8
    for procedure in standard:
        definition = definition_of(procedure)
        asked, documents = set(), set()
        for page in range(len(definition.pages)):
            form = form_for(procedure, page=page)
            asked |= {item["question"].name for item in form.all_items()}
            documents |= {field.label for field in form.document_fields}
        assert asked == set(procedure.fields.values_list("name", flat=True))
        assert documents == set(procedure.documents.values_list("label", flat=True))


def test_a_bulky_waste_request_as_a_citizen_fills_it_is_valid(catalogue):
    pickup = Procedure.objects.get(slug="collecte-des-encombrants")
    form = form_for(
        pickup,
        {
            "f_date_souhaitee": "2026-06-15",
            "f_description_objets": "Un canapé trois places et un réfrigérateur.",
            "f_volume_estime": "2.5",
            "f_acces": "Étage sans ascenseur",
        },
    )
    assert form.is_valid(), form.errors
    assert form.page_answers()["volume_estime"] == "2.5"


def test_a_school_enrolment_is_valid_for_a_child_of_the_household(catalogue, citizen):
    household = household_get_or_create(account=citizen)
    child = Member.objects.create(
        household=household,
        relationship=Relationship.CHILD,
        sex=Sex.MALE,
        last_name="MARTIN",
        first_names="Hugo",
        birth_date=date(timezone.localdate().year - 6, 2, 3),
    )
    enrolment = Procedure.objects.get(slug="inscription-scolaire")
    form = form_for(
        enrolment,
        {
            "member": child.pk,
            "f_ecole_souhaitee": "École élémentaire Jules-Ferry",
            "f_niveau": "CP",
            "f_date_entree": "2026-09-01",
        },
        members=household.members.all(),
    )
    assert form.is_valid(), form.errors
    assert list(form.fields["member"].queryset) == [child]


def test_each_theme_is_handled_by_exactly_one_service(catalogue):
    for theme in Theme.objects.prefetch_related("groups"):
        names = [group.name for group in theme.groups.all()]
        assert len(names) == 1 and names[0].startswith("Service "), (theme.slug, names)


def test_each_demo_clerk_has_exactly_the_rights_of_his_role(catalogue):
    from accounts.models import User
    from demo.people import seed as seed_accounts

    seed_accounts()
    seed_accounts()  # Idempotent.
    agent = User.objects.get(identifier="agent")
    assert agent.has_perm("accounts.validate_account")
    assert not agent.has_perm("procedures.change_request")
    environment = User.objects.get(identifier="environnement")
    assert environment.has_perm("procedures.change_request")
    assert not environment.has_perm("procedures.change_procedure")
    assert not environment.has_perm("payments.view_invoice")
    assert User.objects.get(identifier="regie").has_perm("payments.change_invoice")
    assert User.objects.get(identifier="catalogue").has_perm("procedures.change_procedure")
    for user in User.objects.filter(is_staff=True, is_superuser=False):
        assert not user.has_perm("accounts.add_user")
        assert not user.has_perm("auth.change_group")
        assert user.groups.count() == 1


def test_seed_demo_loads_the_catalogue_end_to_end_and_can_run_again():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    call_command("seed_demo", stdout=out)
    themes, procedures = Theme.objects.count(), Procedure.objects.count()
    assert f"Catalogue des démarches : {themes} thèmes, {procedures} démarches." in out.getvalue()
    assert themes == len(demo_catalogue.CATALOGUE)
    assert Procedure.objects.filter(slug="collecte-des-encombrants").exists()
    assert Member.objects.filter(household__account__identifier="demo").count() == 4
