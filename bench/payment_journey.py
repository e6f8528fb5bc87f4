"""A payment through a régie's backend, as a citizen goes through it: one journey of the
load (bench/load.py), timed from « Payer » to the outcome page saying the invoice is paid.

Before the clock starts, the household's invoice is put in its basket (« Ajouter au
panier »). Then: « Payer » (the portal asks the backend for a payment: for PayFiP, a SOAP
``creerPaiementSecurise``), the backend's page and its « Payer » / « Valider le
paiement », and back on the portal's outcome page (for PayFiP, which asks the web service
for the result). Each household pays once (bench/features.py draws them), so that two
journeys never share a basket.

The simulated PayFiP's pages and web service are served by a second gunicorn instance
(bench/run.py), as the DGFiP's are by another server: the portal's sync workers then never
wait on one of their own, and its notification reaches the portal while the citizen is
sent back, as PayFiP's does.
"""

import time
from urllib.parse import urlsplit

# Any 32 letters: Django compares the form's token with the cookie's.
CSRF = "bancdessaibancdessaibancdessaiAB"
PAID = b"Merci : votre paiement de"
MAX_STEPS = 6


async def journey(client, key: str, pool, result) -> bool:
    """One household's payment; False when no household is left to pay."""
    from bench.load import Client

    plan = pool.extras["journeys"][key]
    if not plan["sessions"]:
        return False
    household = plan["sessions"].pop()
    cookie = f"{household['cookie']}; csrftoken={CSRF}"
    backend = Client.of(pool.extras["payfip_base"]) if pool.extras.get("payfip_base") else client
    token = {"csrfmiddlewaretoken": CSRF}
    added = await client.post_form(
        f"/paiements/panier/ajouter/{household['invoice']}/", token, cookie
    )
    if added.status != 302:
        result.error(f"panier HTTP {added.status}")
        return True
    started = time.perf_counter()
    response = await client.post_form(
        "/paiements/panier/payer/", {**token, "regie": plan["regie"]}, cookie
    )
    for _step in range(MAX_STEPS):
        if response.status != 302:
            break
        parts = urlsplit(response.header("location"))
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        on = backend if "/payfip-simule/" in path else client
        response = await on.get(path, cookie)
        answer = {"payfip-simule/paiement": "payer", "carte-simulee": "accept"}
        outcome = next((v for k, v in answer.items() if k in path), None)
        if outcome and response.status == 200:
            response = await on.post_form(path, {**token, "outcome": outcome}, cookie)
    took = time.perf_counter() - started
    if response.status == 200 and PAID in response.body:
        result.latencies.append(took)
        result.bytes += len(response.body)
    else:
        result.error(f"fin HTTP {response.status}")
    return True
