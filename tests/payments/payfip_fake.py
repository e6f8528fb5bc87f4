"""The simulated PayFiP reached by eopayment's real code, in-process.

``InProcessAdapter`` is a requests transport adapter that hands every HTTP request to
this Django site through the test client: zeep still builds and parses the SOAP
envelopes, eopayment still reads them, our views still answer them; only the socket is
skipped (so the test's transaction sees everything). The hung and refusing services
are real sockets (tests/payments/test_payfip.py).
"""

from urllib.parse import urlsplit

import requests
from django.test import Client
from requests.structures import CaseInsensitiveDict

from payments.models import Provider, Regie, RegieDomain


class InProcessAdapter(requests.adapters.BaseAdapter):
    def __init__(self):
        super().__init__()
        self.client = Client()
        self.paths: list[str] = []

    def send(self, request, **kwargs):
        url = urlsplit(request.url)
        path = url.path + (f"?{url.query}" if url.query else "")
        self.paths.append(url.path)
        body = request.body or b""
        if isinstance(body, str):
            body = body.encode()
        answer = self.client.generic(
            request.method,
            path,
            data=body,
            content_type=request.headers.get("Content-Type", ""),
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(dict(answer.items()))
        response.url = request.url
        response.request = request
        response.encoding = "utf-8"
        return response

    def close(self):
        pass


def in_process_session() -> tuple[requests.Session, InProcessAdapter]:
    session = requests.Session()
    adapter = InProcessAdapter()
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session, adapter


def payfip_regie(name="Régie scolaire et périscolaire", code="scolaire", domains=("scolaire",)):
    regie = Regie.objects.create(
        name=name, code=code, backend=Provider.PAYFIP_SIMULATED, payfip_numcli="123456"
    )
    for domain in domains:
        RegieDomain.objects.create(regie=regie, domain=domain)
    return regie


def card_regie(name="Régie du conservatoire", code="conservatoire", domains=("conservatoire",)):
    regie = Regie.objects.create(name=name, code=code, backend=Provider.SIMULATED)
    for domain in domains:
        RegieDomain.objects.create(regie=regie, domain=domain)
    return regie
