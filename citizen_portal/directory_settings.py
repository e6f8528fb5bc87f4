"""The town's directory (LDAP / Active Directory) as django-auth-ldap's settings.

Staff log in to /admin/ with their directory identifier and password once DIRECTORY_URI
is set (``staff_login.directory``); with it unset the portal has no directory at all and
python-ldap, an optional extra (``pip install -e ".[ldap]"``, it needs libldap2-dev and
libsasl2-dev to build), need not be installed.

Every operation on the directory gives up after DIRECTORY_TIMEOUT seconds: the connection
(OPT_NETWORK_TIMEOUT) and each synchronous request (OPT_TIMEOUT), so that a directory
that hangs costs the admin login page a French message, not a worker.
"""

from django.core.exceptions import ImproperlyConfigured

from common.env import env_bool, env_int, env_str

GROUP_TYPES = ("groupOfNames", "activeDirectory")


def roles_by_group(raw: str) -> dict[str, str]:
    """``Rôle=DN;Rôle=DN`` → {DN (lower case): role}. A role name holds no « = »; a DN holds
    several, so the first one splits."""
    mapping: dict[str, str] = {}
    for item in raw.split(";"):
        if not item.strip():
            continue
        role, separator, dn = item.partition("=")
        # A DN alone (« cn=x,dc=y ») would read as the role « cn »: its first part would
        # then lack the « = » every part of a DN has.
        if not separator or not role.strip() or "=" not in dn.split(",")[0]:
            raise ImproperlyConfigured(
                f"DIRECTORY_ROLES : « {item.strip()} » n'a pas la forme Rôle=DN du groupe."
            )
        mapping[dn.strip().lower()] = role.strip()
    return mapping


def directory_settings() -> dict:
    """AUTH_LDAP_* and the portal's DIRECTORY_* settings; empty without DIRECTORY_URI."""
    uri = env_str("DIRECTORY_URI")
    if not uri:
        return {"DIRECTORY_ENABLED": False, "DIRECTORY_ROLES": {}}
    try:
        import ldap
        from django_auth_ldap.config import (
            GroupOfNamesType,
            LDAPSearch,
            NestedActiveDirectoryGroupType,
        )
    except ImportError as error:
        raise ImproperlyConfigured(
            "DIRECTORY_URI est défini mais python-ldap ou django-auth-ldap manque : "
            'installez l\'extra « ldap » (pip install -e ".[ldap]", avec libldap2-dev et '
            "libsasl2-dev)."
        ) from error
    user_base = env_str("DIRECTORY_USER_BASE")
    group_base = env_str("DIRECTORY_GROUP_BASE")
    group_type = env_str("DIRECTORY_GROUP_TYPE", "groupOfNames")
    roles = roles_by_group(env_str("DIRECTORY_ROLES"))
    if not (user_base and group_base and roles):
        raise ImproperlyConfigured(
            "DIRECTORY_URI est défini : DIRECTORY_USER_BASE, DIRECTORY_GROUP_BASE et "
            "DIRECTORY_ROLES doivent l'être aussi."
        )
    if group_type not in GROUP_TYPES:
        raise ImproperlyConfigured(f"DIRECTORY_GROUP_TYPE : {' ou '.join(GROUP_TYPES)}.")
    timeout = env_int("DIRECTORY_TIMEOUT", 5)
    options = {ldap.OPT_NETWORK_TIMEOUT: timeout, ldap.OPT_TIMEOUT: timeout}
    if env_bool("DIRECTORY_IGNORE_REFERRALS", True):
        options[ldap.OPT_REFERRALS] = 0  # Active Directory's referrals would hang a search
    return {
        "DIRECTORY_ENABLED": True,
        "DIRECTORY_ROLES": roles,
        "DIRECTORY_TIMEOUT": timeout,
        # The directory itself asks a second factor (an OTP appended to the password, a
        # RADIUS proxy…): the portal's own code is then not asked after a directory login.
        "DIRECTORY_ENFORCES_TWO_FACTOR": env_bool("DIRECTORY_ENFORCES_TWO_FACTOR"),
        "AUTH_LDAP_SERVER_URI": uri,
        "AUTH_LDAP_START_TLS": env_bool("DIRECTORY_START_TLS"),
        "AUTH_LDAP_BIND_DN": env_str("DIRECTORY_BIND_DN"),
        "AUTH_LDAP_BIND_PASSWORD": env_str("DIRECTORY_BIND_PASSWORD"),
        "AUTH_LDAP_USER_SEARCH": LDAPSearch(
            user_base, ldap.SCOPE_SUBTREE, env_str("DIRECTORY_USER_FILTER", "(uid=%(user)s)")
        ),
        "AUTH_LDAP_GROUP_SEARCH": LDAPSearch(
            group_base,
            ldap.SCOPE_SUBTREE,
            "(objectClass=group)" if group_type == "activeDirectory" else "(objectClass=*)",
        ),
        "AUTH_LDAP_GROUP_TYPE": (
            NestedActiveDirectoryGroupType()
            if group_type == "activeDirectory"
            else GroupOfNamesType()
        ),
        "AUTH_LDAP_USER_ATTR_MAP": {
            "first_name": env_str("DIRECTORY_ATTR_FIRST_NAME", "givenName"),
            "last_name": env_str("DIRECTORY_ATTR_LAST_NAME", "sn"),
            "email": env_str("DIRECTORY_ATTR_EMAIL", "mail"),
        },
        # Names, email and roles read again at every login: the directory is the reference.
        "AUTH_LDAP_ALWAYS_UPDATE_USER": True,
        "AUTH_LDAP_GLOBAL_OPTIONS": options,
        "AUTH_LDAP_CONNECTION_OPTIONS": options,
        # Never cached: a member removed from a group loses the role at the next login.
        "AUTH_LDAP_CACHE_TIMEOUT": 0,
    }
