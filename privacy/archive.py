"""What « Télécharger mes données » contains (RGPD art. 15 and 20).

One ZIP: ``resume.html``, readable in any browser, offline; ``donnees.json``, the same
data for a machine; ``documents/``, the files the citizen deposited. Never the password,
the security answer or the temporary password (hashes of secrets are not data about
the person, and would help whoever gets the archive).
"""

import json
import zipfile
from datetime import date, datetime
from decimal import Decimal
from pathlib import PurePosixPath

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from accounts.models import User
from accounts.services import EDITABLE_ACCOUNT_FIELDS
from appointments.retention import bookings_archive
from franceconnect.models import FranceConnectLink
from households.models import Household
from households.services import ADULT_ONLY_FIELDS, CHILD_ONLY_FIELDS, COMMON_FIELDS
from notifications.selectors import messages_of_account
from payments.models import Invoice, Payment
from procedures.models import Request
from procedures.selectors import answers_for_display

ACCOUNT_FIELDS = (
    "identifier",
    *EDITABLE_ACCOUNT_FIELDS,
    "security_question",
    "status",
    "date_joined",
    "validated_at",
    "last_login",
)
MEMBER_FIELDS = (
    *COMMON_FIELDS,
    *ADULT_ONLY_FIELDS,
    *CHILD_ONLY_FIELDS,
    "created_at",
    "updated_at",
)


def plain(value):
    """JSON for what the models hold: dates as ISO 8601, amounts as text."""
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return value


def row(instance, fields) -> dict:
    return {name: plain(getattr(instance, name)) for name in fields}


def document_path(request: Request, document) -> str:
    """Where the document sits in the ZIP: by request, under the name the citizen gave."""
    folder = request.number or f"brouillon-{request.pk}"
    name = PurePosixPath(document.original_name).name or "document"
    return f"documents/{folder}/{document.pk}-{name}"


def requests_data(account: User) -> list[dict]:
    requests = (
        Request.objects.for_account(account)
        .select_related("procedure")
        .prefetch_related(
            "events",
            "documents",
            "procedure__pages",
            "procedure__blocks",
            "procedure__fields",
            "procedure__documents",
            "procedure__conditions",
            "decision_documents",
        )
        .order_by("created_at")
    )
    return [
        {
            "numero": request.number,
            "demarche": request.procedure.title,
            "etat": request.get_state_display(),
            "personne_concernee": request.subject_name,
            "adresse": request.address,
            "adresse_electronique": request.contact_email,
            "reponses": request.answers,
            # The same answers as the récapitulatif reads them, with the form they were
            # sent with (a hidden question was never stored: it is in neither).
            "reponses_lisibles": [
                {"question": row["label"], "reponse": row["value"]}
                for row in answers_for_display(request)
            ],
            "version_du_formulaire": request.definition_revision,
            "creee_le": plain(request.created_at),
            "envoyee_le": plain(request.submitted_at),
            "decidee_le": plain(request.decided_at),
            "date_fixee": plain(request.appointment_date),
            "historique": [
                {
                    "le": plain(event.at),
                    "de": event.get_from_state_display(),
                    "vers": event.get_to_state_display(),
                    "par_la_mairie": event.by_staff,
                    "commentaire": event.comment,
                }
                for event in request.events.all()
            ],
            "documents": [
                {
                    "nom": document.original_name,
                    "type": document.content_type,
                    "taille": document.size,
                    "depose_le": plain(document.uploaded_at),
                    "fichier": document_path(request, document),
                }
                for document in request.documents.all()
            ],
            # What the decision produced (issue 25), its PDF beside the documents.
            "documents_de_decision": [
                {
                    "titre": decision.title,
                    "date_de_la_decision": plain(decision.decided_on),
                    "code_de_verification": decision.verification_code,
                    "texte": decision.body,
                    "fichier": decision_path(request, decision),
                }
                for decision in request.decision_documents.all()
            ],
        }
        for request in requests
    ]


def decision_path(request: Request, decision) -> str:
    return f"documents/{request.number}/decision-{decision.pk}.pdf"


def decision_files(account: User) -> list[tuple[str, bytes]]:
    """(path in the ZIP, PDF) of every decision document of the account's requests."""
    from procedures.decisions.files import decision_pdf_content

    files = []
    requests = Request.objects.for_account(account).prefetch_related("decision_documents")
    for request in requests:
        for decision in request.decision_documents.all():
            decision.request = request
            files.append((decision_path(request, decision), decision_pdf_content(decision)))
    return files


def household_data(account: User) -> dict | None:
    household = Household.objects.filter(account=account).first()
    if household is None:
        return None
    return {
        "cree_le": plain(household.created_at),
        "membres": [row(m, MEMBER_FIELDS) for m in household.members.holder_first()],
        "historique": [
            {
                "le": plain(event.at),
                "action": event.get_action_display(),
                "membre": event.member_name,
                "modifications": event.changes,
            }
            for event in household.events.all()
        ],
    }


def money_data(account: User) -> dict:
    invoices = (
        Invoice.objects.for_account(account)
        .select_related("regie")
        .order_by("issue_date", "number")
    )
    payments = (
        Payment.objects.for_account(account)
        .select_related("regie")
        .prefetch_related("lines__invoice")
    )
    return {
        "factures": [
            {
                "numero": invoice.number,
                "libelle": invoice.label,
                "periode": invoice.period,
                "membre": invoice.member_name,
                "montant": plain(invoice.amount),
                "emise_le": plain(invoice.issue_date),
                "echeance": plain(invoice.due_date),
                "etat": invoice.get_state_display(),
                "payee_le": plain(invoice.paid_at),
                "regie": invoice.regie.name if invoice.regie else "",
            }
            for invoice in invoices
        ],
        "paiements": [
            {
                "le": plain(payment.created_at),
                "montant": plain(payment.amount),
                "etat": payment.get_state_display(),
                "factures": [line.invoice.number for line in payment.lines.all()],
                "regie": payment.regie.name if payment.regie else "",
            }
            for payment in payments.order_by("created_at")
        ],
    }


def franceconnect_data(account: User) -> dict | None:
    """The link and the certified identity as FranceConnect last sent it, or None."""
    link = FranceConnectLink.objects.filter(account=account).first()
    if link is None:
        return None
    return {
        "identifiant_pivot": link.sub,
        "lie_le": plain(link.linked_at),
        "derniere_connexion": plain(link.last_login_at),
        "identite_recue": link.identity,
    }


def account_data(account: User) -> dict:
    """Everything the portal holds about the account, as plain JSON-able values."""
    return {
        "genere_le": plain(timezone.now()),
        "responsable_du_traitement": settings.TOWN["name"],
        "compte": row(account, ACCOUNT_FIELDS),
        "historique_du_compte": [
            {"le": plain(e.at), "evenement": e.get_kind_display(), "modifications": e.changes}
            for e in account.events.all()
        ],
        "franceconnect": franceconnect_data(account),
        "foyer": household_data(account),
        "demandes": requests_data(account),
        "rendez_vous": bookings_archive(account),
        "messages": [
            {
                "le": plain(message.send_after),
                "nature": message.get_kind_display(),
                "objet": message.subject,
                "texte": message.body_text,
                "etat": message.get_status_display(),
            }
            for message in messages_of_account(account=account)
        ],
        **money_data(account),
    }


def archive_write(*, account: User, target) -> None:
    """Write the ZIP into ``target`` (a binary file object)."""
    data = account_data(account)
    with translation.override("fr"):
        summary = render_to_string(
            "privacy/archive_summary.html", {"data": data, "town": settings.TOWN}
        )
    documents = [
        (document_path(request, document), document)
        for request in Request.objects.for_account(account).prefetch_related("documents")
        for document in request.documents.all()
    ]
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("resume.html", summary)
        archive.writestr("donnees.json", json.dumps(data, ensure_ascii=False, indent=2))
        for path, document in documents:
            try:
                with document.file.open("rb") as stored:
                    archive.writestr(path, stored.read())
            except FileNotFoundError:
                archive.writestr(f"{path}.manquant.txt", "Ce fichier est introuvable.")
        for path, content in decision_files(account):
            archive.writestr(path, content)
