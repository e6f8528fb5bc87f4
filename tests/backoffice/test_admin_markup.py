"""The admin's markup, where our templates and admin classes can fix what the audit found:
an h1 on the login page, named fieldsets, no empty table header in our inlines, breadcrumb
links told by more than colour."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from households import services as household_services
from tests.factories import ClerkFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client, settings):
    settings.STAFF_TWO_FACTOR = False
    client.force_login(ClerkFactory(is_superuser=True))
    return client


def test_the_admin_login_page_has_an_h1(client):
    page = client.get(reverse("admin:login")).content.decode()
    assert re.search(r"<h1>Connexion à l.administration</h1>", page)


def test_fieldsets_are_named_and_inline_tables_have_no_empty_header(superuser_client, citizen):
    household = household_services.household_get_or_create(account=citizen)
    for url in (
        reverse("admin:accounts_user_change", args=[citizen.pk]),
        reverse("admin:households_household_change", args=[household.pk]),
    ):
        page = superuser_client.get(url).content.decode()
        fieldsets = re.findall(r'<fieldset class="module[^"]*"[^>]*>\s*(<h2[^>]*>)?', page)
        assert fieldsets and all(heading for heading in fieldsets), url
        assert not re.search(r"<th[^>]*>\s*</th>", page), url


def test_breadcrumb_links_are_underlined():
    css = (Path(settings.BASE_DIR) / "static/backoffice/admin.css").read_text()
    assert re.search(r"div\.breadcrumbs a \{[^}]*text-decoration: underline", css)
