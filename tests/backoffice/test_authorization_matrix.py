"""The back office's authorization matrix: every admin URL × every role × an object inside
and one outside the role's scope (and an id that does not exist), with the status each
must answer.

What is proven:

- the tables below cover every model of ``admin.site._registry`` (third-party apps
  included: auth, axes, django-otp), every custom URL of their ``get_urls()`` and every
  URL of the admin site itself: registering a model, adding a view or an autocomplete
  field without saying who reaches it fails one of the ``test_every_…`` / ``test_no_…``
  tests of « The registry and the tables agree »;
- anonymous visitors and citizens are sent to the admin's login from every URL;
- each role gets exactly its row's statuses: 200 (or 302 for a POST let through) where
  its work is, 403 without the permission, 404 for an object outside its scope (a staff
  account, its own included, for the front desk; another service's household or
  request); an id that does not exist teaches nothing more than an existing one;
- the index and the apps' pages show a role exactly the models it may list;
- a search, and the autocomplete, never list an object outside the role's scope; a
  service reads only the household members its requests concern;
- with the second factor required, a staff member who gave only the password reaches
  no admin page.

Personas (tests/backoffice/personas.py): ``clerk`` (« Accueil »), a service clerk
(« Service État civil », linked to the theme « État civil »), « Régie »,
« Administration fonctionnelle », a superuser, another staff account; ``citizen`` owns
the objects « inside » (a request of the état civil about a child), ``other_citizen``
those « outside » (a request of the environment, a theme the service does not handle).
"""

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.apps import apps
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from appointments.models import AntsCall, Booking
from backoffice import journal
from backoffice.scoping import ScopedAdminMixin
from households.models import Member, Relationship
from households.services import household_get_or_create
from notifications.models import Message, MessageKind, MessageTemplate
from payments.models import Basket, Payment, Provider, ProviderEvent, Regie, RegieClerk
from procedures import services as procedures
from procedures.models import Procedure, Street
from tests.appointments import factories as appointment_factories
from tests.backoffice import personas
from tests.factories import role_group
from tests.households.factories import ChildFactory
from tests.payments.factories import InvoiceFactory
from tests.procedures.factories import ProcedureFactory, ThemeFactory, complete_answers

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")
PDF_BYTES = (Path(__file__).resolve().parent.parent / "data" / "justificatif.pdf").read_bytes()

# Pages

STANDARD_PAGES = ("changelist", "add", "change", "history", "delete")
OBJECT_PAGES = ("change", "history", "delete")


@dataclass(frozen=True)
class CustomView:
    """A view of a ModelAdmin's ``get_urls()``, called on one object.

    POST views get data that leaves the object as it was (an invalid date, an empty
    text, an account already validated), so that 302 only says « let through »."""

    column: str
    method: str = "get"
    extra_args: tuple = ()
    data: dict = field(default_factory=dict)
    document: bool = False  # The request's uploaded document is the second argument.
    # Refuses a role before looking the object up: a missing id gets the same refusal.
    permission_first: bool = False
    # A page of the model without an object (« Saisie au guichet », « Importer »).
    no_object: bool = False
    # Looks objects up in its own scope (the clerk's counter drafts): a missing id gets
    # what the matrix's objects get.
    own_scope: bool = False


CUSTOM_VIEWS = {
    "accounts_user_validate": CustomView("valider", "post"),
    "accounts_user_close": CustomView("fermer", permission_first=True),
    "auth_user_password_change": CustomView("mot-de-passe", permission_first=True),
    "procedures_request_transition": CustomView(
        "transition", "post", ("start",), {"appointment_date": "pas une date"}
    ),
    "procedures_request_document": CustomView("pièce", document=True),
    "procedures_request_pdf": CustomView("pdf"),
    "procedures_request_inform": CustomView("information", "post", data={"text": ""}),
    # The desk (procedures.desk): nobody chosen, nobody to release, an empty note.
    "procedures_request_assign": CustomView("attribuer", "post", data={"assignee": ""}),
    "procedures_request_release": CustomView("liberer", "post"),
    "procedures_request_note": CustomView("note", "post", data={"text": ""}),
    "appointments_agenda_planning": CustomView("planning", permission_first=True),
    "appointments_booking_mark": CustomView("présence", "post", data={"state": "inconnu"}),
    "appointments_booking_cancel": CustomView("annuler"),
    # Issue 24: the counter, the catalogue's « Aperçu » and import.
    "procedures_request_counter": CustomView("guichet", no_object=True),
    "procedures_request_counter_page": CustomView("guichet-page", extra_args=(1,), own_scope=True),
    "procedures_request_counter_summary": CustomView("guichet-récap", own_scope=True),
    "procedures_procedure_preview": CustomView("aperçu", extra_args=(1,)),
    "procedures_procedure_import": CustomView("importer", no_object=True),
    # A decision document's preview on a sample request (issue 25).
    "procedures_procedure_decision_preview": CustomView(
        "aperçu-décision", extra_args=("acceptation_implicite",)
    ),
    "otp_totp_totpdevice_config": CustomView("config", permission_first=True),
    "otp_totp_totpdevice_qrcode": CustomView("qrcode", permission_first=True),
}
DESK = ("attribuer", "liberer", "note")
PERMISSION_FIRST = {view.column for view in CUSTOM_VIEWS.values() if view.permission_first}
OWN_SCOPE = {view.column for view in CUSTOM_VIEWS.values() if view.own_scope}


# The tables
#
# One row per staff role, one cell per page in the order of ``pages``. A cell is one
# outcome for both objects, or « inside/outside » when they differ:
#   200 · 302 (a POST let through: redirected, not to the login)
#   403 (no permission: checked first, whatever the object) · 404 (outside the scope).
# Anonymous visitors and citizens are not in the tables: every URL sends them to the
# admin's login. An id that does not exist is derived, not written (see ``expected``).

ROLES = ("accueil", "service", "regie", "fonctionnelle", "superuser")
CLERKS = ROLES[:-1]


@dataclass(frozen=True)
class Table:
    inside_outside: str  # In words: the object inside the scope, the one outside.
    pages: tuple[str, ...]
    rows: dict[str, str]


MATRIX = {
    "accounts.user": Table(
        "a citizen's account / a staff account",
        (*STANDARD_PAGES, "valider", "mot-de-passe", "fermer"),
        {
            #                list add change  history delete  valider mot-de-passe fermer
            "accueil": "     200  403 200/404 200/404 403/404 302/404 403          200/404",
            "service": "     403  403 403     403     403     403     403          403",
            "regie": "       403  403 403     403     403     403     403          403",
            "fonctionnelle": "403  403 403     403     403     403     403          403",
            "superuser": "   200  200 200     200     200     302     200          200",
        },
    ),
    "households.household": Table(
        "the household of a request of the service / another household",
        STANDARD_PAGES,
        {
            #                list add change  history delete
            "accueil": "     200  403 200     200     403",
            "service": "     200  403 200/404 200/404 403/404",
            "regie": "       403  403 403     403     403",
            "fonctionnelle": "403  403 403     403     403",
            "superuser": "   200  403 200     200     403",
        },
    ),
    "procedures.request": Table(
        "a request of the service's theme / of another theme (the counter's pages: a sent "
        "request is never a counter draft)",
        (
            *STANDARD_PAGES,
            "transition",
            "pièce",
            "pdf",
            "information",
            *DESK,
            "guichet",
            "guichet-page",
            "guichet-récap",
        ),
        {
            # list add change history delete | transition pièce pdf information
            # | attribuer liberer note | guichet guichet-page guichet-récap
            "accueil": "403 403 403 403 403 403 403 403 403 403 403 403 200 404 404",
            "service": "200 403 200/404 200/404 403/404 "
            "302/404 200/404 200/404 302/404 "
            "302/404 302/404 302/404 "
            "200 404 404",
            "regie": "403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
            "fonctionnelle": "403 403 403 403 403 403 403 403 403 403 403 403 403 403 403",
            "superuser": "200 403 200 200 403 302 200 200 302 302 302 302 200 404 404",
        },
    ),
    "procedures.theme": Table(
        "the état civil / the environment",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       403 403 403 403 403",
            "fonctionnelle": "200 200 200 200 200",
            "superuser": "   200 200 200 200 200",
        },
    ),
    "procedures.procedure": Table(
        "a procedure of the état civil / of the environment",
        (*STANDARD_PAGES, "aperçu", "importer", "aperçu-décision"),
        {
            #                list add change history delete aperçu importer aperçu-décision
            "accueil": "     403 403 403 403 403 403 403 403",
            "service": "     403 403 403 403 403 403 403 403",
            "regie": "       403 403 403 403 403 403 403 403",
            "fonctionnelle": "200 200 200 200 200 200 200 200",
            "superuser": "   200 200 200 200 200 200 200 200",
        },
    ),
    "procedures.street": Table(
        "two streets of the register",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       403 403 403 403 403",
            "fonctionnelle": "200 200 200 200 200",
            "superuser": "   200 200 200 200 200",
        },
    ),
    # « Régie »: the clerk works for the régie of the citizen's invoices (RegieClerk),
    # not for the other household's régie.
    "payments.invoice": Table(
        "the citizen's invoice, of the clerk's régie / another household's, of another",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       200 200 200/404 200/404 403/404",
            "fonctionnelle": "403 403 403 403 403",
            "superuser": "   200 200 200 200 200",
        },
    ),
    "payments.payment": Table(
        "the citizen's payment, to the clerk's régie / another household's, to another",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       200 403 200/404 200/404 403/404",
            "fonctionnelle": "403 403 403 403 403",
            "superuser": "   200 403 200 200 403",
        },
    ),
    "payments.providerevent": Table(
        "an event of the citizen's payment / of another's (another régie)",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       200 403 200/404 200/404 403/404",
            "fonctionnelle": "403 403 403 403 403",
            "superuser": "   200 403 200 200 403",
        },
    ),
    # Superusers declare régies and their contracts; the « Régie » clerk reads his own.
    "payments.regie": Table(
        "the clerk's régie / another régie",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       200 403 200/404 200/404 403/404",
            "fonctionnelle": "403 403 403 403 403",
            "superuser": "   200 200 200 200 200",
        },
    ),
    "notifications.message": Table(
        "a message to the citizen / to another citizen",
        STANDARD_PAGES,
        {
            "accueil": "     200 403 200 200 403",
            "service": "     403 403 403 403 403",
            "regie": "       403 403 403 403 403",
            "fonctionnelle": "403 403 403 403 403",
            "superuser": "   200 403 200 200 403",
        },
    ),
    "notifications.messagetemplate": Table(
        "two templates of « Information »",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       403 403 403 403 403",
            "fonctionnelle": "200 200 200 200 200",
            "superuser": "   200 200 200 200 200",
        },
    ),
    # Appointments (issue 27): places and agendas defined by « Administration fonctionnelle »,
    # bookings handled by the services linked to their agenda (Agenda.groups).
    "appointments.place": Table(
        "the town hall / an annex",
        STANDARD_PAGES,
        {
            "accueil": "     403 403 403 403 403",
            "service": "     403 403 403 403 403",
            "regie": "       403 403 403 403 403",
            "fonctionnelle": "200 200 200 200 200",
            "superuser": "   200 200 200 200 200",
        },
    ),
    "appointments.agenda": Table(
        "an agenda of the état civil / of the environment",
        (*STANDARD_PAGES, "planning"),
        {
            #                list add change  history delete  planning
            "accueil": "     403  403 403     403     403     403",
            "service": "     200  403 200/404 200/404 403/404 200/404",
            "regie": "       403  403 403     403     403     403",
            "fonctionnelle": "200  200 200     200     200     403",
            "superuser": "   200  200 200     200     200     200",
        },
    ),
    "appointments.booking": Table(
        "a booking of the état civil's agenda / of the environment's",
        (*STANDARD_PAGES, "présence", "annuler"),
        {
            #                list add change  history delete  présence annuler
            "accueil": "     403  403 403     403     403     403      403",
            "service": "     200  200 200/404 200/404 403/404 302/404  200/404",
            "regie": "       403  403 403     403     403     403      403",
            "fonctionnelle": "403  403 403     403     403     403      403",
            "superuser": "   200  200 200     200     403     302      200",
        },
    ),
}

SUPERUSER_ONLY = {
    # The declarations owed to the ANTS, read-only (appointments.admin.AntsCallAdmin).
    "appointments.antscall": ("200 403 200 200 403", ()),
    # model: (superuser's row, the custom views of its admin)
    "auth.group": ("200 200 200 200 200", ()),
    "backoffice.accessentry": ("200 403 200 200 403", ()),
    # A staff member's TOTP secret (config, qrcode) is shown to nobody, superusers included.
    "otp_totp.totpdevice": ("200 200 200 200 200 403 403", ("config", "qrcode")),
    "otp_static.staticdevice": ("200 200 200 200 200", ()),
    "axes.accessattempt": ("200 403 200 200 200", ()),
    "axes.accesslog": ("200 403 200 200 200", ()),
    "axes.accessfailurelog": ("200 403 200 200 200", ()),
}
for _label, (_superuser_row, _custom) in SUPERUSER_ONLY.items():
    _pages = (*STANDARD_PAGES, *_custom)
    _refused = " ".join("403" for _ in _pages)
    MATRIX[_label] = Table(
        "two rows (superusers only)",
        _pages,
        {**dict.fromkeys(ROLES[:-1], _refused), "superuser": _superuser_row},
    )

# The status of the object pages for an id that does not exist: what an existing object
# answers to a role without the permission (403: nothing to learn from an id), else 404.
# Django's own admins (axes, django-otp) send superusers back to the index instead.
MISSING_PK = 987654321
THIRD_PARTY_MISSING = "302"

# Autocomplete fields declared by the admins: (app_label, model_name, field_name). None
# today; declaring one makes test_no_admin_declares_an_autocomplete_field fail until its
# row is written here (and its expectations in test_autocomplete_…).
AUTOCOMPLETE: set[tuple[str, str, str]] = set()

# How to search each model for the object outside a role's scope (changelist and
# autocomplete): needed wherever a role lists a model but not its « outside » object.
SEARCH_TERM = {
    "accounts.user": lambda account: account.identifier,
    "households.household": lambda household: household.account.identifier,
    "procedures.request": lambda request: request.number,
    "payments.invoice": lambda invoice: invoice.number,
    "payments.payment": lambda payment: payment.provider_reference,
    "payments.providerevent": lambda event: event.event_id,
    "payments.regie": lambda regie: regie.code,
    "appointments.agenda": lambda agenda: agenda.title,
    "appointments.booking": lambda booking: booking.last_name,
}


# The world: one object inside and one outside each role's scope


@dataclass
class World:
    people: dict[str, object]
    objects: dict[str, tuple[models.Model, models.Model]]
    holder: object
    child: object  # The person the service's request is about.
    sibling: object  # A member of the same household whom no request concerns.


def sent_request(account, procedure, *, member=None):
    draft = procedures.request_draft_save(
        account=account,
        procedure=procedure,
        member=member,
        answers=complete_answers(procedure, {}),
        uploads=[(None, "", SimpleUploadedFile("justificatif.pdf", PDF_BYTES))],
    )
    return procedures.request_submit(citizen_request=draft, by=account)


def payment_of(household, reference: str, regie=None):
    invoice = InvoiceFactory(household=household, regie=regie)
    basket = Basket.objects.create(household=household, regie=regie)
    payment = Payment.objects.create(
        household=household,
        basket=basket,
        regie=regie,
        provider=Provider.SIMULATED,
        provider_reference=reference,
        amount=invoice.amount,
    )
    event = ProviderEvent.objects.create(
        provider=Provider.SIMULATED,
        event_id=f"evt_{reference}",
        event_type="checkout.session.completed",
        payment=payment,
    )
    return invoice, payment, event


def message_to(account):
    return Message.objects.create(
        kind=MessageKind.INFORMATION,
        account=account,
        to_email=account.email,
        subject=f"Information pour {account.last_name}",
        body_text="Texte",
        body_html="<p>Texte</p>",
    )


def axes_rows(model, **extra):
    return tuple(
        model.objects.create(
            user_agent="pytest",
            ip_address="192.0.2.1",
            username=name,
            http_accept="*/*",
            path_info="/admin/login/",
            **extra,
        )
        for name in ("agent001", "cit00001")
    )


def appointment_objects(*, civil_status_group) -> dict:
    """Two places, an agenda of the état civil and one of the environment, a booking on each."""
    town_hall = appointment_factories.place(name="Hôtel de ville")
    annex = appointment_factories.place(name="Annexe des Tilleuls")
    inside = appointment_factories.agenda(slug="matrice-etat-civil", title="Mariages", at=annex)
    outside = appointment_factories.agenda(
        slug="matrice-environnement", title="Déchets verts", at=town_hall
    )
    inside.groups.add(civil_status_group)
    outside.groups.add(role_group("Service Environnement"))
    start = timezone.now() + timedelta(days=30)
    bookings = tuple(
        Booking.objects.create(
            agenda=agenda,
            starts_at=start,
            ends_at=start + timedelta(minutes=15),
            first_name="Léa",
            last_name=name,
            email=f"{name.lower()}@example.org",
            token_hash=name.lower().ljust(64, "0"),
        )
        for agenda, name in ((inside, "DEDANS"), (outside, "DEHORS"))
    )
    call = AntsCall.objects.create(
        action=AntsCall.Action.DECLARE, application_id="VALIDE0001", params={}
    )
    other_call = AntsCall.objects.create(
        action=AntsCall.Action.DELETE, application_id="VALIDE0002", params={}
    )
    return {
        "appointments.place": (annex, town_hall),
        "appointments.agenda": (inside, outside),
        "appointments.booking": bookings,
        "appointments.antscall": (call, other_call),
    }


@pytest.fixture
def world(settings, citizen, other_citizen, clerk):
    settings.PAYMENT_PROVIDER = "simulated"
    civil_status = ThemeFactory(title="État civil", slug="matrice-etat-civil")
    environment = ThemeFactory(title="Environnement", slug="matrice-environnement")
    service, other_staff, superuser = (
        personas.service_clerk(civil_status),
        personas.colleague(),
        personas.superuser(),
    )
    household = household_get_or_create(account=citizen)
    other_household = household_get_or_create(account=other_citizen)
    child = ChildFactory(household=household, last_name=citizen.last_name, first_names="Léa")
    sibling = ChildFactory(household=household, last_name=citizen.last_name, first_names="Zébulon")
    birth = ProcedureFactory(
        theme=civil_status, title="Livret de famille", concerns=Procedure.Concerns.CHILD
    )
    pickup = ProcedureFactory(theme=environment, title="Collecte des encombrants")
    regie = Regie.objects.create(
        name="Régie scolaire", code="matrice-scolaire", backend="simulated"
    )
    other_regie = Regie.objects.create(
        name="Régie du conservatoire", code="matrice-conservatoire", backend="simulated"
    )
    billing = personas.billing_clerk()
    RegieClerk.objects.create(user=billing, regie=regie)
    invoice, payment, event = payment_of(household, "cs_inside", regie)
    other_invoice, other_payment, other_event = payment_of(
        other_household, "cs_outside", other_regie
    )
    return World(
        people={
            "anonymous": None,
            "citizen": citizen,
            "accueil": clerk,
            "service": service,
            "regie": billing,
            "fonctionnelle": personas.catalogue_admin(),
            "superuser": superuser,
        },
        objects={
            "accounts.user": (citizen, other_staff),
            "households.household": (household, other_household),
            "procedures.request": (
                sent_request(citizen, birth, member=child),
                sent_request(other_citizen, pickup),
            ),
            "procedures.theme": (civil_status, environment),
            "procedures.procedure": (birth, pickup),
            "procedures.street": (
                Street.objects.create(
                    name="Rue des Tilleuls", postal_code="99999", town="V", code="a"
                ),
                Street.objects.create(
                    name="Rue des Écoles", postal_code="99999", town="V", code="b"
                ),
            ),
            "payments.invoice": (invoice, other_invoice),
            "payments.payment": (payment, other_payment),
            "payments.providerevent": (event, other_event),
            "payments.regie": (regie, other_regie),
            "notifications.message": (message_to(citizen), message_to(other_citizen)),
            "notifications.messagetemplate": (
                MessageTemplate.objects.create(title="Pièce manquante", body="Apportez…"),
                MessageTemplate.objects.create(title="Rendez-vous", body="Venez…"),
            ),
            "auth.group": (role_group("Service État civil"), role_group("Accueil")),
            "backoffice.accessentry": tuple(
                journal.access_record(
                    staff=clerk, kind=journal.Kind.ACCOUNT, obj=account, citizen=account
                )
                for account in (citizen, other_citizen)
            ),
            "otp_totp.totpdevice": tuple(
                TOTPDevice.objects.create(user=user, name="Téléphone", confirmed=True)
                for user in (other_staff, superuser)
            ),
            "otp_static.staticdevice": tuple(
                StaticDevice.objects.create(user=user, name="Codes de secours", confirmed=True)
                for user in (other_staff, superuser)
            ),
            "axes.accessattempt": axes_rows(
                AccessAttempt, get_data="", post_data="", failures_since_start=1
            ),
            **appointment_objects(civil_status_group=role_group("Service État civil")),
            "axes.accesslog": axes_rows(AccessLog),
            "axes.accessfailurelog": axes_rows(AccessFailureLog),
        },
        holder=household.members.get(relationship=Relationship.HOLDER),
        child=child,
        sibling=sibling,
    )


# Calling the pages

SIDES = ("inside", "outside", "missing")


@dataclass(frozen=True)
class Call:
    label: str
    page: str
    side: str  # inside, outside, missing; « both » for the pages without an object.
    method: str
    url: str
    data: dict

    def __str__(self) -> str:
        where = "" if self.side == "both" else f" ({self.side})"
        return f"{self.label} {self.page}{where} — {self.method.upper()} {self.url}"


def model_admins() -> dict[str, admin.ModelAdmin]:
    return {model._meta.label_lower: ma for model, ma in admin.site._registry.items()}


def custom_url_names(label: str) -> list[str]:
    """The named URLs of a ModelAdmin beyond the five every model has."""
    app_label, model_name = label.split(".")
    standard = {f"{app_label}_{model_name}_{page}" for page in STANDARD_PAGES}
    return [
        pattern.name
        for pattern in model_admins()[label].get_urls()
        if pattern.name and pattern.name not in standard
    ]


def calls(label: str, objects: tuple) -> list[Call]:
    """Every page of the model; the object pages for each side."""
    app_label, model_name = label.split(".")
    views = {CUSTOM_VIEWS[name].column: name for name in custom_url_names(label)}
    out = []
    for page in MATRIX[label].pages:
        if page in ("changelist", "add"):
            url = reverse(f"admin:{app_label}_{model_name}_{page}")
            out.append(Call(label, page, "both", "get", url, {}))
            continue
        for side, obj in zip(SIDES, (*objects, None), strict=True):
            pk = obj.pk if obj is not None else MISSING_PK
            if page in OBJECT_PAGES:
                url = reverse(f"admin:{app_label}_{model_name}_{page}", args=[pk])
                out.append(Call(label, page, side, "get", url, {}))
                continue
            view = CUSTOM_VIEWS[views[page]]
            if view.no_object:
                if side == "inside":
                    url = reverse(f"admin:{views[page]}")
                    out.append(Call(label, page, "both", view.method, url, view.data))
                continue
            args = [pk, *view.extra_args]
            if view.document:
                args.append(obj.documents.get().pk if obj is not None else MISSING_PK)
            url = reverse(f"admin:{views[page]}", args=args)
            out.append(Call(label, page, side, view.method, url, view.data))
    return out


def outcome(response) -> str:
    if response.status_code == 302 and response["Location"].startswith(LOGIN):
        return "login"
    return str(response.status_code)


def cells(label: str, role: str) -> dict[str, tuple[str, str]]:
    """The page → (inside, outside) of a role's row."""
    table = MATRIX[label]
    row = table.rows[role].split()
    assert len(row) == len(table.pages), f"{label}, {role}: {len(row)} cells"
    return {
        page: tuple(cell.split("/")) if "/" in cell else (cell, cell)
        for page, cell in zip(table.pages, row, strict=True)
    }


def lists(label: str, role: str) -> bool:
    return cells(label, role)["changelist"][0] == "200"


def expected(role: str, call: Call) -> str:
    if role in ("anonymous", "citizen"):
        return "login"
    inside, outside = cells(call.label, role)[call.page]
    if call.side == "missing" and call.page in OWN_SCOPE:
        return inside
    if call.side == "missing":
        if not lists(call.label, role) or (call.page in PERMISSION_FIRST and inside == "403"):
            return "403"
        scoped = isinstance(model_admins()[call.label], ScopedAdminMixin)
        return "404" if scoped or call.page not in OBJECT_PAGES else THIRD_PARTY_MISSING
    return outside if call.side == "outside" else inside


def every_call(world: World) -> list[Call]:
    return [call for label in sorted(MATRIX) for call in calls(label, world.objects[label])]


def wrong_statuses(client, role: str, to_call: list[Call], expect=expected) -> list[str]:
    wrong = []
    for call in to_call:
        response = getattr(client, call.method)(call.url, call.data)
        if outcome(response) != expect(role, call):
            wrong.append(f"{role}: {call}: expected {expect(role, call)}, got {outcome(response)}")
    return wrong


def report(wrong: list[str]) -> str:
    return f"\n{len(wrong)} wrong statuses:\n" + "\n".join(wrong)


def logged_in(client, world: World, role: str):
    client.raise_request_exception = False  # A 500 is a status of the matrix like any other.
    if world.people[role] is not None:
        client.force_login(world.people[role])
    return client


# The registry and the tables agree


def test_every_registered_model_has_its_table():
    registered = set(model_admins())
    assert registered == set(MATRIX), (
        "Models registered without their table, or tables of models no longer registered: "
        f"{sorted(registered ^ set(MATRIX))}"
    )


def test_every_custom_admin_url_has_its_column():
    missing = [
        f"{label}: {name}"
        for label in sorted(model_admins())
        for name in custom_url_names(label)
        if name not in CUSTOM_VIEWS or CUSTOM_VIEWS[name].column not in MATRIX[label].pages
    ]
    assert not missing, f"Custom admin URLs without their column in the matrix: {missing}"


def test_every_table_has_a_row_per_role_and_a_cell_per_page():
    for label in MATRIX:
        assert set(MATRIX[label].rows) == set(ROLES), label
        for role in ROLES:
            cells(label, role)


def test_no_admin_declares_an_autocomplete_field():
    declared = {
        (model_admin.model._meta.app_label, model_admin.model._meta.model_name, name)
        for model_admin in model_admins().values()
        for name in model_admin.autocomplete_fields
    } | {
        (inline.model._meta.app_label, inline.model._meta.model_name, name)
        for model_admin in model_admins().values()
        for inline in model_admin.inlines
        for name in inline.autocomplete_fields
    }
    assert declared == AUTOCOMPLETE, (
        "Autocomplete fields without their row in AUTOCOMPLETE (who may search what): "
        f"{sorted(declared ^ AUTOCOMPLETE)}"
    )


def test_every_model_a_role_lists_without_all_its_objects_can_be_searched():
    needed = {
        label
        for label in MATRIX
        for role in ROLES
        if lists(label, role) and cells(label, role)["change"][1] == "404"
    }
    assert needed <= set(SEARCH_TERM), sorted(needed - set(SEARCH_TERM))


# The matrix


@pytest.mark.parametrize("role", ["anonymous", "citizen"], ids=["anonyme", "citoyen"])
def test_without_staff_status_every_admin_url_sends_to_the_admin_login(client, world, role):
    wrong = wrong_statuses(logged_in(client, world, role), role, every_call(world))
    assert not wrong, report(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_exactly_the_statuses_of_its_row(client, world, role):
    wrong = wrong_statuses(logged_in(client, world, role), role, every_call(world))
    assert not wrong, report(wrong)


@pytest.mark.parametrize("role", CLERKS)
def test_a_clerk_s_own_account_is_a_staff_account_like_any_other(client, world, role):
    """« incl. his own »: the front desk gets 404 (no staff account exists for it), the
    other roles 403 (no permission on accounts), exactly as for a colleague's account."""
    me = world.people[role]
    own = [
        Call(call.label, call.page, "outside", call.method, call.url, call.data)
        for call in calls("accounts.user", (me, me))
        if call.side == "inside"
    ]
    wrong = wrong_statuses(logged_in(client, world, role), role, own)
    assert not wrong, report(wrong)


@pytest.mark.parametrize("role", ROLES)
def test_the_admin_index_shows_a_role_exactly_the_models_it_may_list(client, world, role):
    response = logged_in(client, world, role).get(reverse("admin:index"))
    assert response.status_code == 200
    shown = {
        f"{app['app_label']}.{model['object_name'].lower()}"
        for app in response.context["app_list"]
        for model in app["models"]
    }
    assert shown == {label for label in MATRIX if lists(label, role)}


# Search and autocomplete never reach outside the scope


def outside_searches() -> list[tuple[str, str]]:
    """(role, model) where the role lists the model but not its « outside » object."""
    return [
        (role, label)
        for role in ROLES
        for label in sorted(MATRIX)
        if lists(label, role) and cells(label, role)["change"][1] == "404"
    ]


@pytest.mark.parametrize(("role", "label"), outside_searches())
def test_a_search_by_the_outside_object_s_identifier_does_not_list_it(client, world, role, label):
    inside, outside = world.objects[label]
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    client = logged_in(client, world, role)

    found = client.get(url, {"q": SEARCH_TERM[label](outside)})
    found_inside = client.get(url, {"q": SEARCH_TERM[label](inside)})

    assert found.status_code == 200
    assert outside.pk not in {obj.pk for obj in found.context["cl"].result_list}
    assert inside.pk in {obj.pk for obj in found_inside.context["cl"].result_list}


def relation_to(label: str):
    """A foreign key of some model to the given one (for the autocomplete's parameters)."""
    target = apps.get_model(label)
    return next(
        (
            relation
            for model in apps.get_models()
            for relation in model._meta.get_fields()
            if relation.many_to_one and relation.concrete and relation.related_model is target
        ),
        None,
    )


@pytest.mark.filterwarnings("ignore::django.core.paginator.UnorderedObjectListWarning")
@pytest.mark.parametrize("role", ROLES)
def test_autocomplete_answers_like_the_target_s_list_and_stays_in_scope(client, world, role):
    """Django's autocomplete serves any foreign key to a model with search fields, declared
    or not: it must answer only those who may list that model, within their scope."""
    client = logged_in(client, world, role)
    wrong = []
    for label, model_admin in sorted(model_admins().items()):
        relation = relation_to(label)
        if relation is None:
            continue
        params = {
            "app_label": relation.model._meta.app_label,
            "model_name": relation.model._meta.model_name,
            "field_name": relation.name,
        }
        outside = world.objects[label][1]
        if label in SEARCH_TERM:
            params["term"] = SEARCH_TERM[label](outside)
        response = client.get(reverse("admin:autocomplete"), params)
        want = 200 if lists(label, role) else 403
        if not model_admin.search_fields:
            want = 404 if lists(label, role) else 403
        if response.status_code != want:
            wrong.append(f"{label} by {params}: expected {want}, got {response.status_code}")
        elif want == 200 and cells(label, role)["change"][1] == "404":
            ids = {result["id"] for result in response.json()["results"]}
            if str(outside.pk) in ids:
                wrong.append(f"{label} by {params}: lists the outside object {outside}")
    assert not wrong, "\n".join(wrong)


# The site's own URLs

# Every named URL of the admin site beyond the models' (a new one must be added here).
SITE_URLS = {
    "index": "the list of the models a role may list (test_the_admin_index_…)",
    "app_list": "one app's models: 404 where the role lists none (test_an_app_s_page_…)",
    "login": "the password form",
    "logout": "POST only",
    "password_change": "a staff member's own password",
    "password_change_done": "after it",
    "autocomplete": "test_autocomplete_answers_like_the_target_s_list_and_stays_in_scope",
    "jsi18n": "the admin's JavaScript catalogue",
    "view_on_site": "test_view_on_site_tells_nobody_whether_a_member_outside_the_scope_exists",
    "two_factor": "the code, after the password",
    "two_factor_setup": "the first device, after the password",
    "statistics": "test_statistics_answer_each_role_its_sections_only",
    "statistics_csv": "test_statistics_answer_each_role_its_sections_only",
}


def test_every_url_of_the_admin_site_is_accounted_for():
    named = {pattern.name for pattern in admin.site.get_urls() if getattr(pattern, "name", None)}
    assert named == set(SITE_URLS), sorted(named ^ set(SITE_URLS))


@pytest.mark.parametrize("role", ROLES)
def test_an_app_s_page_answers_only_a_role_that_lists_one_of_its_models(client, world, role):
    client = logged_in(client, world, role)
    wrong = []
    for app_label in sorted({label.split(".")[0] for label in MATRIX}):
        listed = any(lists(label, role) for label in MATRIX if label.startswith(f"{app_label}."))
        response = client.get(reverse("admin:app_list", args=[app_label]))
        if response.status_code != (200 if listed else 404):
            wrong.append(f"{app_label}: {response.status_code}")
    assert not wrong, wrong


# « Statistiques » (backoffice.statistics): the page, and the CSV of each section.
STATISTICS_PAGES = ("page", "demandes.csv", "factures.csv", "rendez-vous.csv")
STATISTICS = {
    #                page demandes.csv factures.csv rendez-vous.csv
    "accueil": "     403  403          403          403",
    "service": "     200  200          403          200",
    "regie": "       200  403          200          403",
    "fonctionnelle": "403  403          403          403",
    "superuser": "   200  200          200          200",
}


def statistics_urls() -> dict[str, str]:
    return {
        "page": reverse("admin:statistics"),
        "demandes.csv": reverse("admin:statistics_csv", args=["demandes"]),
        "factures.csv": reverse("admin:statistics_csv", args=["factures"]),
        "rendez-vous.csv": reverse("admin:statistics_csv", args=["rendez-vous"]),
    }


@pytest.mark.parametrize("role", ["anonymous", "citizen", *ROLES])
def test_statistics_answer_each_role_its_sections_only(client, world, role):
    client = logged_in(client, world, role)
    wrong = []
    for page, cell in zip(
        STATISTICS_PAGES, STATISTICS.get(role, "login login login login").split(), strict=True
    ):
        response = client.get(statistics_urls()[page])
        if outcome(response) != cell:
            wrong.append(f"{role} {page}: expected {cell}, got {outcome(response)}")
    assert not wrong, wrong


@pytest.mark.parametrize("role", ["service", "regie"])
def test_view_on_site_tells_nobody_whether_a_member_outside_the_scope_exists(client, world, role):
    member_type = ContentType.objects.get_for_model(Member)
    client = logged_in(client, world, role)
    outside = client.get(reverse("admin:view_on_site", args=[member_type.pk, world.sibling.pk]))
    missing = client.get(reverse("admin:view_on_site", args=[member_type.pk, MISSING_PK]))
    assert outside.status_code == missing.status_code


# Members: a service reads only the people its requests concern


def members_shown(client, household) -> set[str]:
    response = client.get(reverse("admin:households_household_change", args=[household.pk]))
    assert response.status_code == 200
    [inline] = [
        formset
        for formset in response.context["inline_admin_formsets"]
        if formset.formset.model is Member
    ]
    return {form.instance.first_names for form in inline.formset.forms}


def test_a_service_reads_the_holder_and_the_child_its_request_is_about_not_the_sibling(
    client, world
):
    household = world.objects["households.household"][0]
    client = logged_in(client, world, "service")
    assert members_shown(client, household) == {
        world.holder.first_names,
        world.child.first_names,
    }
    page = client.get(reverse("admin:households_household_change", args=[household.pk]))
    assert world.sibling.first_names not in page.content.decode()


def test_the_front_desk_reads_every_member_of_the_household(client, world):
    household = world.objects["households.household"][0]
    assert members_shown(logged_in(client, world, "accueil"), household) == {
        world.holder.first_names,
        world.child.first_names,
        world.sibling.first_names,
    }


def test_a_service_searching_by_a_sibling_s_name_finds_no_household(client, world):
    client = logged_in(client, world, "service")
    response = client.get(
        reverse("admin:households_household_changelist"), {"q": world.sibling.first_names}
    )
    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == []


# Two-factor


@pytest.mark.parametrize("role", ["accueil", "superuser"])
def test_with_two_factor_required_a_staff_member_without_a_verified_device_reaches_no_admin_page(
    client, world, settings, role
):
    settings.STAFF_TWO_FACTOR = True
    client = logged_in(client, world, role)
    member_type = ContentType.objects.get_for_model(Member)
    site_pages = {
        "index": reverse("admin:index"),
        "app_list": reverse("admin:app_list", args=["accounts"]),
        "autocomplete": reverse("admin:autocomplete"),
        "password_change": reverse("admin:password_change"),
        "jsi18n": reverse("admin:jsi18n"),
        "view_on_site": reverse("admin:view_on_site", args=[member_type.pk, world.child.pk]),
    }
    to_call = [
        *every_call(world),
        *(Call("site", page, "both", "get", url, {}) for page, url in site_pages.items()),
    ]

    wrong = wrong_statuses(client, role, to_call, expect=lambda role, call: "login")

    assert not wrong, report(wrong)
    second_step = client.get(reverse("admin:index"), follow=True)
    assert second_step.redirect_chain[-1][0].startswith(reverse("admin:two_factor"))


# Routing (issue 25): a request of the service's own theme that the procedure routed to
# another group (the other school) is outside the service, on every page, like another
# theme's.


def test_a_request_routed_to_another_group_is_outside_the_service_on_every_page(
    client, world, citizen
):
    from django.contrib.auth.models import Group

    from procedures.models import ProcedureField, ProcedureRoute
    from tests.procedures.factories import FieldFactory

    civil_status = world.objects["procedures.theme"][0]
    registration = ProcedureFactory(theme=civil_status, title="Inscription", routing_field="ecole")
    FieldFactory(
        procedure=registration,
        name="ecole",
        label="École souhaitée",
        kind=ProcedureField.Kind.CHOICE,
        choices="École A\nÉcole B",
    )
    other_school = Group.objects.create(name="École B")
    ProcedureRoute.objects.create(procedure=registration, answer="École B", group=other_school)
    draft = procedures.request_draft_save(
        account=citizen,
        procedure=registration,
        member=None,
        answers={"ecole": "École B"},
        uploads=[(None, "", SimpleUploadedFile("justificatif.pdf", PDF_BYTES))],
    )
    routed = procedures.request_submit(citizen_request=draft, by=citizen)
    inside = world.objects["procedures.request"][0]
    to_call = [
        call for call in calls("procedures.request", (inside, routed)) if call.side == "outside"
    ]
    wrong = wrong_statuses(logged_in(client, world, "service"), "service", to_call)
    assert not wrong, report(wrong)
