"""The simulated ProConnect of the demo (``common.oidc.simulated``): agents whose work
emails are those of the demo's staff (demo/people.py), and one whom no account of the
portal has, to show the refusal. Its views answer 404 unless ``PROCONNECT_SIMULATED`` is
on with DEBUG, or a demo server allows it explicitly (``PROCONNECT_ALLOW_SIMULATED``;
settings refuse to start otherwise).
"""

from common.oidc.simulated import SimulatedProvider
from staff_login.proconnect_config import simulated_allowed


def agent(sub: str, given_name: str, usual_name: str, email: str) -> dict:
    return {
        "sub": sub,
        "given_name": given_name,
        "usual_name": usual_name,
        "email": email,
        "uid": sub,
        "siret": "00000000000000",
        "idp_id": "simule",
    }


IDENTITIES = {
    "agent": agent("pc-sim-agent-0001", "Bruno", "AGENT", "agent@mairie.example"),
    "scolaire": agent("pc-sim-scolaire-0002", "Sacha", "ECOLE", "scolaire@mairie.example"),
    "regie": agent("pc-sim-regie-0003", "Régine", "CAISSE", "regie@mairie.example"),
    "inconnu": agent("pc-sim-inconnu-0004", "Camille", "AILLEURS", "camille@autre-mairie.example"),
}

PROVIDER = SimulatedProvider(
    name="ProConnect",
    namespace="proconnect_simulated",
    client_id="espace-citoyen-agents-demonstration",
    key_file="proconnect-simule.pem",
    key_id="pc-simule-1",
    identities=IDENTITIES,
    acr="eidas1",
    callback="proconnect:callback",
    logged_out="proconnect:logged_out",
    allowed=simulated_allowed,
    label=lambda claims: f"{claims['given_name']} {claims['usual_name']} ({claims['email']})",
)
urlpatterns, app_name = PROVIDER.urls()
