"""The back office's personas, one per role of ``backoffice.roles`` (groups of the migration).

Plain functions, so that each test file declares the fixtures it needs:

- « Accueil » is the ``clerk`` of tests/conftest.py (the front desk);
- ``service_clerk``: « Service État civil », its group linked to the theme given;
- ``billing_clerk``: « Régie »;
- ``catalogue_admin``: « Administration fonctionnelle »;
- ``colleague``: another staff account of « Accueil », which no clerk may manage;
- ``superuser``: alone manages staff accounts, groups and permissions;
- « a clerk of another service » is ``clerk_of_another_service`` of tests/factories.py
  (fixture ``other_service_clerk``): a service's rights, none of the test's themes.
"""

from tests.factories import ClerkFactory, role_group


def service_clerk(theme):
    group = role_group("Service État civil")
    theme.groups.add(group)
    user = ClerkFactory(first_name="Sophie", last_name="ETATCIVIL")
    user.groups.add(group)
    return user


def billing_clerk():
    user = ClerkFactory(first_name="Régine", last_name="CAISSE")
    user.groups.add(role_group("Régie"))
    return user


def catalogue_admin():
    user = ClerkFactory(first_name="Fanny", last_name="CATALOGUE")
    user.groups.add(role_group("Administration fonctionnelle"))
    return user


def colleague():
    user = ClerkFactory(first_name="Corinne", last_name="COLLEGUE")
    user.groups.add(role_group("Accueil"))
    return user


def superuser():
    return ClerkFactory(first_name="Ada", last_name="ADMIN", is_superuser=True)
