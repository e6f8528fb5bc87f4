"""When the shared cache (Redis) does not answer, the portal works on the database."""

import pytest
from django.urls import reverse

from citizen_portal.cache_connection import shared_cache
from notifications.services import message_queue
from tests.procedures.factories import bulky_waste

# The production configuration, on a port where nothing listens.
CLOSED_PORT = shared_cache("redis://127.0.0.1:1/0", timeout=1)


@pytest.fixture
def redis_down(settings):
    settings.CACHES = {**settings.CACHES, "default": CLOSED_PORT}


@pytest.mark.django_db
def test_pages_answer_without_the_shared_cache(redis_down, citizen_client):
    procedure = bulky_waste()
    for url in (
        reverse("home"),
        reverse("procedures:catalogue"),
        reverse("procedures:start", args=[procedure.slug]),
    ):
        assert citizen_client.get(url).status_code == 200, url


@pytest.mark.django_db
def test_changes_are_kept_without_the_shared_cache(redis_down, citizen, citizen_client):
    procedure = bulky_waste()
    procedure.title = "Objets volumineux"
    procedure.save()
    message_queue(
        kind="information",
        template="password_changed",
        context={"account": citizen},
        to_email=citizen.email,
        account=citizen,
    )
    page = citizen_client.get(reverse("procedures:start", args=[procedure.slug]))
    assert "<h1>Objets volumineux</h1>" in page.content.decode()
    assert "1 non lu" in citizen_client.get(reverse("home")).content.decode()
