"""The simulated FranceConnect of the demo (``common.oidc.simulated``): three test
identities, after FranceConnect's own sandbox. Its views answer 404 unless
``FRANCECONNECT_SIMULATED`` is on with DEBUG, or a demo server allows it explicitly
(``FRANCECONNECT_ALLOW_SIMULATED``; settings refuse to start otherwise).
"""

from common.oidc.simulated import SimulatedProvider
from franceconnect.config import simulated_allowed

# Born in Paris, in Lyon, abroad.
IDENTITIES = {
    "angela": {
        "sub": "sim-7f3c9a1e2b5d4c6f8a0b1c2d3e4f5a6b",
        "given_name": "Angela Claire Louise",
        "family_name": "DUBOIS",
        "birthdate": "1962-08-24",
        "gender": "female",
        "birthplace": "75107",
        "birthcountry": "99100",
        "preferred_username": "",
        "email": "angela.dubois@example.org",
    },
    "jean-pierre": {
        "sub": "sim-1a2b3c4d5e6f708192a3b4c5d6e7f809",
        "given_name": "Jean-Pierre",
        "family_name": "MARTIN",
        "birthdate": "1985-03-12",
        "gender": "male",
        "birthplace": "69123",
        "birthcountry": "99100",
        "preferred_username": "",
        "email": "jean-pierre.martin@example.org",
    },
    "maria": {
        "sub": "sim-0f1e2d3c4b5a69788796a5b4c3d2e1f0",
        "given_name": "Maria",
        "family_name": "SANTOS",
        "birthdate": "1991-11-02",
        "gender": "female",
        "birthplace": "",
        "birthcountry": "99139",
        "preferred_username": "",
        "email": "maria.santos@example.org",
    },
}


PROVIDER = SimulatedProvider(
    name="FranceConnect",
    namespace="franceconnect_simulated",
    client_id="espace-citoyen-demonstration",
    key_file="franceconnect-simule.pem",
    key_id="simule-1",
    identities=IDENTITIES,
    acr="eidas1",
    callback="franceconnect:callback",
    logged_out="franceconnect:logged_out",
    allowed=simulated_allowed,
    label=lambda claims: f"{claims['given_name']} {claims['family_name']}",
)
CLIENT_ID = PROVIDER.client_id
client_secret = PROVIDER.client_secret
provider_config = PROVIDER.provider_config
urlpatterns, app_name = PROVIDER.urls()
