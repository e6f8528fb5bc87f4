"""Staff log in to /admin/ with the town's directory (LDAP / Active Directory).

django-auth-ldap binds as the member with the password typed (never stored: the local
account's password is unusable), reads the names, email and groups; what it leaves to
us, we add:

- it answers on the admin's login page only: the citizen's login page never opens a
  staff session, and no role is ever granted from a citizen-side path;
- the account is found through its ``DirectoryLink``, never by identifier or email;
- the roles are the portal's groups that DIRECTORY_ROLES maps the member's directory
  groups to, set anew at every login; no mapped group, no access, and an account that
  had one loses its roles and its staff status (so does one whose name the directory no
  longer knows) — a superuser is never made from the directory;
- a directory that does not answer is told apart from a wrong password: the admin login
  page then says so in French (``backoffice.login``), within DIRECTORY_TIMEOUT.

Loaded only when DIRECTORY_URI is set (settings add it to AUTHENTICATION_BACKENDS).
"""

import logging

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django_auth_ldap.backend import LDAPBackend, _LDAPUser, ldap_error

from accounts.models import AccountStatus, User
from backoffice.login import REQUEST_ATTRIBUTE, login_unavailable
from staff_login.models import DirectoryLink
from staff_login.texts import DIRECTORY_UNAVAILABLE

log = logging.getLogger(__name__)


def directory_failed(sender, context, request=None, **kwargs):
    """django-auth-ldap reports a directory that refused or hung (never a wrong password,
    which it reports as a plain failure): the login page says so."""
    if request is not None:
        login_unavailable(request, DIRECTORY_UNAVAILABLE)


ldap_error.connect(directory_failed, dispatch_uid="staff_login.directory_failed")


def roles_of(group_dns) -> list[str]:
    """The portal's roles of these directory groups, as DIRECTORY_ROLES maps them."""
    mapping = settings.DIRECTORY_ROLES
    return sorted({mapping[dn.lower()] for dn in group_dns if dn.lower() in mapping})


@transaction.atomic
def account_revoke(*, link: DirectoryLink) -> None:
    """The directory no longer grants this member a role: no staff rights left."""
    account = link.account
    if account.is_staff or account.groups.exists():
        account.is_staff = False
        account.save(update_fields=["is_staff"])
        account.groups.clear()
        log.info("directory: roles withdrawn from account %s", account.pk)


def roles_refresh(*, link: DirectoryLink, request) -> bool:
    """A directory member who logs in another way (ProConnect): their roles as the directory
    says now, read with the portal's account. False, and no roles left, when it knows them
    no more or maps none of their groups; their last roles kept when it does not answer
    (ProConnect is then the way in, and the directory has not said anything new)."""
    # django-auth-ldap's private helper, as its own populate_user uses it: the search with
    # the portal's account, whose failures reach ``directory_failed`` with this request.
    ldap_user = _LDAPUser(DirectoryBackend(), username=link.username, request=request)
    roles = roles_of(ldap_user.group_dns) if ldap_user.dn is not None else []
    if getattr(request, REQUEST_ATTRIBUTE, ""):
        log.warning("directory: roles not refreshed, the directory does not answer")
        return link.account.is_staff
    if not roles:
        account_revoke(link=link)
        return False
    link.account.groups.set(Group.objects.filter(name__in=roles))
    return True


class DirectoryBackend(LDAPBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None or request.path != reverse("admin:login"):
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user, password):
        user = ldap_user.authenticate(password)
        if user is not None:
            return self.roles_apply(user, ldap_user)
        # django-auth-ldap keeps the request and the DN it found (None: no such name).
        if not getattr(ldap_user._request, REQUEST_ATTRIBUTE, "") and ldap_user._user_dn is None:
            # The directory answered and knows no such name: a former member's link loses
            # its roles (a wrong password alone changes nothing).
            link = DirectoryLink.objects.filter(username=ldap_user._username.lower()).first()
            if link is not None:
                account_revoke(link=link)
        return None

    def get_or_build_user(self, username, ldap_user):
        """The linked account, or a new one; refused without a mapped role or inactive."""
        link = (
            DirectoryLink.objects.select_related("account")
            .filter(username=username.lower())
            .first()
        )
        if not roles_of(ldap_user.group_dns):
            if link is not None:
                account_revoke(link=link)
            raise ldap_user.AuthenticationFailed("no group of the directory maps to a role")
        if link is not None:
            if not link.account.is_active:
                raise ldap_user.AuthenticationFailed("the portal's account is deactivated")
            return link.account, False
        account = User(
            identifier=User.objects.unused_identifier(),
            status=AccountStatus.VALIDATED,
            is_staff=True,
        )
        return account, True

    @transaction.atomic
    def roles_apply(self, user: User, ldap_user) -> User:
        """After django-auth-ldap saved the names and email: the link, staff status and
        exactly the mapped roles."""
        DirectoryLink.objects.update_or_create(
            username=ldap_user._username.lower(),
            defaults={"account": user, "last_login_at": timezone.now()},
        )
        if not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        user.groups.set(Group.objects.filter(name__in=roles_of(ldap_user.group_dns)))
        return user
