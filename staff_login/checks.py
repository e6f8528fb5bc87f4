"""The directory's role mapping names roles that exist (backoffice.roles)."""

from django.conf import settings
from django.core import checks

from backoffice.roles import ROLES


@checks.register(checks.Tags.security)
def directory_roles_exist(app_configs, **kwargs):
    known = {role.name for role in ROLES}
    unknown = sorted(set(getattr(settings, "DIRECTORY_ROLES", {}).values()) - known)
    if not unknown:
        return []
    return [
        checks.Error(
            f"DIRECTORY_ROLES nomme des rôles inconnus : {', '.join(unknown)}.",
            hint=f"Rôles du portail : {', '.join(sorted(known))}.",
            id="staff_login.E001",
        )
    ]
