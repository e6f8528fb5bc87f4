"""Every call into eopayment, and nothing else: the one module that talks to PayFiP and
the banks' systems.

eopayment's PayFiP backend speaks SOAP through zeep with the WSDL it ships; here its
client gets our HTTP session and timeout, and for the simulated PayFiP the service
address of this site (``payments.payfip_simulator``) instead of the DGFiP's. Secrets
reach eopayment in ``options`` only; its logger goes through ``SecretsFilter``, since
eopayment logs its options when it starts.
"""

import logging

import eopayment
import requests
import zeep
from django.conf import settings
from django.urls import reverse
from eopayment import payfip_ws

# The HTTP session of every call to a backend; None is the network. Tests put a session
# here whose adapter answers in-process, so that zeep and eopayment still run whole.
SESSION: requests.Session | None = None
# eopayment's PayFiP client: its WSDL (shipped with eopayment) names this binding.
PAYFIP_BINDING = (
    "{http://securite.service.tpa.cp.finances.gouv.fr/services/mas_securite/"
    "contrat_paiement_securise/PaiementSecuriseService}PaiementSecuriseServicePortBinding"
)
PAYFIP_PAGE = payfip_ws.PAYMENT_URL

logger = logging.getLogger("payments.eopayment")


class SecretsFilter(logging.Filter):
    """Blanks the régie's secret values out of anything eopayment logs."""

    def __init__(self, secrets: list[str]):
        super().__init__()
        self.secrets = [secret for secret in secrets if secret]

    def filter(self, record: logging.LogRecord) -> bool:
        if self.secrets:
            message = record.getMessage()
            for secret in self.secrets:
                message = message.replace(secret, "********")
            record.msg, record.args = message, None
        return True


def http_session() -> requests.Session:
    return SESSION or requests.Session()


def timeout() -> int:
    return settings.PAYMENT_PROVIDER_TIMEOUT


def simulator_service_url() -> str:
    """Where the simulated PayFiP's web service answers (this site, or another demo)."""
    return settings.PAYFIP_SIMULATOR_URL or (
        settings.SITE_URL.rstrip("/") + reverse("payments:payfip_simulator_ws")
    )


def simulator_page_url() -> str:
    return settings.SITE_URL.rstrip("/") + reverse("payments:payfip_simulator_page")


class _PointedClient:
    """What eopayment's ``PayFiP._perform`` uses of a zeep client (``get_type``,
    ``transport``, ``service``), with the service bound to another address."""

    def __init__(self, client: zeep.Client, address: str):
        self._client = client
        self.transport = client.transport
        self.service = client.create_service(PAYFIP_BINDING, address)

    def get_type(self, name):
        return self._client.get_type(name)


class PayFiPClient(payfip_ws.PayFiP):
    """eopayment's PayFiP web-service client, on our session, timeout and address."""

    default_timeout = None  # Replaced by ours in __init__.

    def __init__(self, *, service_url: str | None):
        transport = zeep.Transport(
            session=http_session(), timeout=timeout(), operation_timeout=timeout()
        )
        super().__init__(zeep_client_kwargs={"transport": transport})
        self.default_timeout = timeout()
        self.pointed_url = service_url

    @property
    def client(self):
        if not hasattr(self, "_pointed"):
            client = super().client
            self._pointed = _PointedClient(client, self.pointed_url) if self.pointed_url else client
        return self._pointed


def backend(kind: str, options: dict, *, secrets: list[str], simulated: bool = False):
    """An eopayment backend with the régie's options; the simulated PayFiP is eopayment's
    own ``payfip_ws`` pointed at this site."""
    backend_logger = logging.getLogger(f"payments.eopayment.{kind}")
    backend_logger.filters = [SecretsFilter(secrets)]
    payment = eopayment.Payment(kind, options, logger=backend_logger)
    if kind == eopayment.PAYFIP_WS:
        payment.backend.payfip = PayFiPClient(
            service_url=simulator_service_url() if simulated else None
        )
    return payment


def guess(*, method: str, query_string: str, body: bytes, kinds: tuple[str, ...]):
    """(backend kind, transaction id) read from a notification or a return; raises
    ``eopayment.BackendNotFound`` when none recognises it."""
    return eopayment.Payment.guess(
        method=method, query_string=query_string, body=body, backends=kinds
    )
