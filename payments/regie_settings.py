"""A régie's contract as eopayment reads it: its parameters, and its secrets from the
environment first (``REGIE_<CODE>_<PARAMÈTRE>`` or ``…_FILE``), then from the admin's
write-only field. Secrets are never shown again nor logged.
"""

from common.env import env_str
from payments.models import Provider, Regie

# eopayment's parameter names that hold a key or a password, whatever the backend.
SECRET_PARAMETERS = frozenset(
    {
        "secret_test",
        "secret_production",
        "shared_secret",
        "cle",
        "secret_key",
        "sha_in",
        "sha_out",
    }
)
# What the portal sets itself for every payment: a clerk never types them.
PORTAL_PARAMETERS = frozenset({"normal_return_url", "automatic_return_url"})


def env_name(regie: Regie, parameter: str) -> str:
    return f"REGIE_{regie.code.upper().replace('-', '_')}_{parameter.upper()}"


def secret_value(regie: Regie, parameter: str) -> str:
    return env_str(env_name(regie, parameter)) or str(regie.secrets.get(parameter, ""))


def secrets_of(regie: Regie) -> dict[str, str]:
    """Every secret the régie has, wherever it comes from."""
    values = {name: secret_value(regie, name) for name in SECRET_PARAMETERS}
    return {name: value for name, value in values.items() if value}


def secret_names_set(regie: Regie) -> list[str]:
    """The names of the secrets set, for the admin to show instead of their values."""
    return sorted(secrets_of(regie))


def options_of(regie: Regie) -> dict:
    """eopayment's options for this régie, secrets included (to eopayment only)."""
    if regie.backend in (Provider.PAYFIP, Provider.PAYFIP_SIMULATED):
        return {"numcli": regie.payfip_numcli, "saisie": regie.payfip_mode}
    options = {
        name: value
        for name, value in (regie.options or {}).items()
        if name not in SECRET_PARAMETERS and name not in PORTAL_PARAMETERS
    }
    return options | secrets_of(regie)
