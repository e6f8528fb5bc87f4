import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import User


@pytest.mark.django_db
def test_the_health_check_answers_when_the_database_does(client):
    response = client.get(reverse("health"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": True}


@pytest.mark.django_db
def test_pages_are_french_with_a_skip_link_and_no_external_resource(client):
    page = client.get(reverse("home")).content.decode()
    assert '<html lang="fr">' in page
    assert 'href="#contenu"' in page
    assert "Votre espace citoyen" in page
    assert "http://" not in page.replace("http://www.w3.org", "")
    assert "https://" not in page


@pytest.mark.django_db
@pytest.mark.parametrize("tab", ["households:account", "procedures:request_list", "payments:index"])
def test_every_tab_exists_and_asks_for_login(client, citizen, tab):
    assert client.get(reverse(tab))["Location"].startswith(reverse("accounts:login"))
    client.force_login(citizen)
    assert client.get(reverse(tab)).status_code == 200


@pytest.mark.django_db
def test_seed_demo_is_idempotent_and_prints_the_demo_passwords(capsys):
    call_command("seed_demo")
    call_command("seed_demo")
    out = capsys.readouterr().out
    assert "identifiant demo" in out and "Citoyen-demo-2026!" in out
    assert User.objects.filter(identifier__in=["admin", "agent", "demo", "attente"]).count() == 4
    demo = User.objects.get(identifier="demo")
    assert demo.is_validated and demo.check_password("Citoyen-demo-2026!")
    assert (timezone.now() - demo.date_joined).days == 30
    assert demo.validated_by.identifier == "agent"
    assert User.objects.get(identifier="attente").is_pending
    admin = User.objects.get(identifier="admin")
    assert admin.is_superuser and admin.is_staff
    assert User.objects.get(identifier="agent").has_perm("accounts.validate_account")


@pytest.mark.django_db
def test_the_catalogue_is_public_so_that_anyone_sees_what_the_town_offers(client):
    assert client.get(reverse("procedures:catalogue")).status_code == 200


@pytest.mark.django_db
def test_the_health_check_answers_503_when_the_broker_is_down(client, settings):
    from citizen_portal.celery import app

    settings.CELERY_TASK_ALWAYS_EAGER = False
    saved = app.conf.broker_url
    app.conf.broker_url = "redis://127.0.0.1:1/0"
    app._pool = None
    try:
        response = client.get(reverse("health"))
    finally:
        app.conf.broker_url = saved
        app._pool = None
    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": True, "broker": False}
