"""A simulated PayFiP, for the demo and the tests: the DGFiP's web service and payment
page answered by this site, so that eopayment's real PayFiP code runs end to end with
no account anywhere. On only under ``DEBUG`` or with ``PAYFIP_ALLOW_SIMULATED=1``.

It answers the three SOAP operations that eopayment's ``payfip_ws`` calls, with the
WSDL eopayment ships (served here with this site's address):
``creerPaiementSecurise`` (an ``idop`` valid 15 minutes; PayFiP's rules on amounts,
references and emails), ``recupererDetailPaiementSecurise`` (« P1 » unknown, « P5 »
not paid yet, else the result) and ``recupererDetailClient``. Its page offers
« Payer », « Refuser » and « Abandonner », then, as PayFiP does, posts ``idOp=…`` to
the notification URL (a task, after commit) and sends the citizen back to the return
URL with ``?idop=…``.
"""

import re
import secrets
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from xml.sax.saxutils import escape

import eopayment
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from lxml import etree

from common.queueing import enqueue_on_commit
from common.validators import small_number
from payments.models import SimulatedPayfipOperation
from payments.providers import eopayment_api

Operation = SimulatedPayfipOperation
SOAP_ENV = "http://schemas.xmlsoap.org/soap/envelope/"
SERVICE_NS = (
    "http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService"
)
FAULT_NAME = "fr.gouv.finances.cp.tpa.webservice.exceptions.FonctionnelleErreur"
WSDL_DIR = Path(eopayment.__file__).parent / "resource"
IDOP_LIFETIME = timedelta(minutes=15)
# A reference is not paid twice within eopayment's min_time_between_transactions.
SAME_REFERENCE_DELAY = timedelta(minutes=20)
MAX_BODY = 64 * 1024
REFDET_RE = re.compile(r"[A-Za-z0-9]{1,30}")
NUMCLI_RE = re.compile(r"[0-9]{6}")


def enabled() -> bool:
    return settings.PAYFIP_SIMULATOR_ENABLED


class Fault(Exception):
    """A « FonctionnelleErreur », as PayFiP sends it: eopayment reads its code."""

    def __init__(self, code: str, text: str):
        super().__init__(text)
        self.code = code
        self.text = text


@dataclass(frozen=True)
class Call:
    operation: str
    arguments: dict[str, str]


def served(text: str) -> str:
    """The schemas' relative locations made ``?xsd=…`` of the web service's own URL."""
    return text.replace(
        'schemaLocation="PaiementSecuriseService_schema',
        'schemaLocation="?xsd=PaiementSecuriseService_schema',
    )


def wsdl(address: str) -> str:
    """eopayment's WSDL, with this site's address for the service."""
    text = (WSDL_DIR / "PaiementSecuriseService.wsdl").read_text(encoding="utf-8")
    return served(text.replace("https://www.payfip.gouv.fr/tpa/services/securite", escape(address)))


def schema(name: str) -> str | None:
    if not re.fullmatch(r"PaiementSecuriseService_schema[123]\.xsd", name):
        return None
    return served((WSDL_DIR / name).read_text(encoding="utf-8"))


def local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def call_of(body: bytes) -> Call:
    """The operation and its ``arg0`` fields; Fault on anything else."""
    if len(body) > MAX_BODY or b"<!DOCTYPE" in body.upper():
        raise Fault("T1", "Requête refusée")
    # No entities, no network, no DTD: only the envelope's elements are read.
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    try:
        envelope = etree.fromstring(body, parser)
    except etree.XMLSyntaxError as error:
        raise Fault("T1", "Requête illisible") from error
    soap_body = envelope.find(f"{{{SOAP_ENV}}}Body")
    if soap_body is None or len(soap_body) != 1:
        raise Fault("T1", "Enveloppe SOAP incorrecte")
    operation = soap_body[0]
    arg0 = next((child for child in operation if local(str(child.tag)) == "arg0"), None)
    arguments = {} if arg0 is None else {local(str(child.tag)): child.text or "" for child in arg0}
    return Call(local(str(operation.tag)), arguments)


def envelope(content: str) -> str:
    return (
        f'<?xml version="1.0" encoding="UTF-8"?><S:Envelope xmlns:S="{SOAP_ENV}">'
        f"<S:Body>{content}</S:Body></S:Envelope>"
    )


def fault_xml(fault: Fault) -> str:
    return envelope(
        f"<S:Fault><faultcode>S:Server</faultcode><faultstring>{FAULT_NAME}</faultstring>"
        f'<detail><ns2:FonctionnelleErreur xmlns:ns2="{SERVICE_NS}">'
        f"<code>{escape(fault.code)}</code><descriptif>{escape(fault.text)}</descriptif>"
        f"<libelle>{escape(fault.text)}</libelle><severite>2</severite>"
        "</ns2:FonctionnelleErreur></detail></S:Fault>"
    )


def response_xml(operation: str, fields: dict[str, str]) -> str:
    inner = "".join(f"<{name}>{escape(value)}</{name}>" for name, value in fields.items())
    return envelope(
        f'<ns2:{operation}Response xmlns:ns2="{SERVICE_NS}"><return>{inner}</return>'
        f"</ns2:{operation}Response>"
    )


def answer(body: bytes) -> tuple[int, str]:
    """(HTTP status, SOAP envelope) for one call of the web service."""
    try:
        call = call_of(body)
        handler = OPERATIONS.get(call.operation)
        if handler is None:
            raise Fault("T2", f"Opération inconnue {call.operation}")
        return 200, response_xml(call.operation, handler(call.arguments))
    except Fault as fault:
        return 500, fault_xml(fault)


def callback_allowed(url: str) -> bool:
    """Only the portals this simulator serves get its notification and its citizens back
    (``PAYFIP_SIMULATOR_CALLBACK_HOSTS``, by default SITE_URL's host): on a public demo
    server its web service is open, and any other address would make it an open redirect
    and a sender of POSTs to wherever a caller names."""
    parts = urlsplit(url)
    allowed = settings.PAYFIP_SIMULATOR_CALLBACK_HOSTS or [urlsplit(settings.SITE_URL).netloc]
    return parts.scheme in ("http", "https") and parts.netloc in allowed


def operation_create(arguments: dict[str, str]) -> dict[str, str]:
    """``creerPaiementSecurise``: PayFiP's checks, then a new idop."""
    numcli, refdet = arguments.get("numcli", ""), arguments.get("refdet", "")
    amount, email = arguments.get("montant", ""), arguments.get("mel", "")
    if not NUMCLI_RE.fullmatch(numcli):
        raise Fault("A1", "Numéro client inconnu")
    if arguments.get("saisie") not in ("T", "X", "W"):
        raise Fault("A2", "Mode de saisie incorrect")
    cents = small_number(amount)
    if cents is None or not 100 <= cents <= 10_000_000:
        raise Fault("A3", "Montant hors des limites (de 1 € à 100 000 €)")
    if not REFDET_RE.fullmatch(refdet):
        raise Fault("A4", "Référence de la dette incorrecte")
    if "@" not in email or not 6 <= len(email) <= 80:
        raise Fault("A5", "Adresse électronique incorrecte")
    if not arguments.get("urlnotif") or not arguments.get("urlredirect"):
        raise Fault("A6", "Adresses de notification et de retour obligatoires")
    if not (callback_allowed(arguments["urlnotif"]) and callback_allowed(arguments["urlredirect"])):
        raise Fault("A6", "Adresses de notification et de retour refusées")
    same = Operation.objects.filter(numcli=numcli, refdet=refdet)
    if same.filter(result=Operation.Result.PAID).exists():
        raise Fault("A7", "Cette référence est déjà payée")
    if same.filter(created_at__gt=timezone.now() - SAME_REFERENCE_DELAY).exists():
        raise Fault("A8", "Un paiement de cette référence est en cours")
    operation = Operation.objects.create(
        idop=secrets.token_hex(16),
        numcli=numcli,
        exer=arguments.get("exer", "")[:4],
        refdet=refdet,
        amount_cents=cents,
        email=email,
        subject=arguments.get("objet", "")[:100],
        mode=arguments["saisie"],
        notification_url=arguments["urlnotif"][:2048],
        return_url=arguments["urlredirect"][:2048],
    )
    return {"idOp": operation.idop}


def operation_detail(arguments: dict[str, str]) -> dict[str, str]:
    """``recupererDetailPaiementSecurise``: « P1 » unknown, « P5 » not answered yet."""
    operation = Operation.objects.filter(idop=arguments.get("idOp", "")).first()
    if operation is None:
        raise Fault("P1", "IdOp incorrect")
    if not operation.result:
        raise Fault("P5", "Résultat de la transaction non connu")
    answered = timezone.localtime(operation.answered_at)
    return {
        "dattrans": f"{answered:%d%m%Y}",
        "exer": operation.exer,
        "heurtrans": f"{answered:%H%M}",
        "idOp": operation.idop,
        "mel": operation.email,
        "montant": str(operation.amount_cents),
        "numauto": operation.authorisation,
        "numcli": operation.numcli,
        "objet": operation.subject,
        "refdet": operation.refdet,
        "resultrans": operation.result,
        "saisie": operation.mode,
    }


def client_detail(arguments: dict[str, str]) -> dict[str, str]:
    numcli = arguments.get("numCli", "")
    if not NUMCLI_RE.fullmatch(numcli):
        raise Fault("A1", "Numéro client inconnu")
    return {
        "libelleN1": "COMMUNE (SIMULATION)",
        "libelleN2": "REGIE",
        "libelleN3": "",
        "numcli": numcli,
    }


OPERATIONS = {
    "creerPaiementSecurise": operation_create,
    "recupererDetailPaiementSecurise": operation_detail,
    "recupererDetailClient": client_detail,
}


def is_expired(operation: Operation) -> bool:
    return not operation.result and timezone.now() - operation.created_at >= IDOP_LIFETIME


@transaction.atomic
def operation_answer(*, operation: Operation, result: str) -> bool:
    """The citizen's answer on the page, once (a second click changes nothing); the
    notification leaves after commit, as PayFiP's server sends it."""
    from payments.tasks import payfip_simulator_notify

    answered = Operation.objects.filter(
        pk=operation.pk, result="", created_at__gt=timezone.now() - IDOP_LIFETIME
    ).update(
        result=result,
        answered_at=timezone.now(),
        authorisation=f"{secrets.randbelow(10**6):06d}" if result == Operation.Result.PAID else "",
    )
    if answered:
        enqueue_on_commit(payfip_simulator_notify, operation.pk)
    return bool(answered)


def notification_send(*, operation: Operation) -> int:
    """POST ``idOp=…`` to the notification URL, as PayFiP's server does; its HTTP status.
    Raises ``requests.RequestException`` (the task then tries again)."""
    response = eopayment_api.http_session().post(
        operation.notification_url,
        data={"idOp": operation.idop},
        timeout=eopayment_api.timeout(),
        allow_redirects=False,
    )
    Operation.objects.filter(pk=operation.pk).update(notified_at=timezone.now())
    return response.status_code


def return_url(operation: Operation) -> str:
    separator = "&" if "?" in operation.return_url else "?"
    return f"{operation.return_url}{separator}idop={operation.idop}"
