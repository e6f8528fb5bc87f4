"""A new email address takes effect when the link sent to it is followed; the old address is
told at once, with a link that cancels the change (or undoes it once confirmed)."""

import re
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from accounts.models import AccountEvent, EmailChange
from households.models import Member, Relationship
from households.services import household_get_or_create
from notifications.models import Message
from tests.households.test_account_edit import URL, account_post

pytestmark = pytest.mark.django_db
NEW = "camille.nouvelle@example.net"


def link_in(message: Message) -> str:
    return re.search(r"https?://\S+?(/compte/adresse/\S+?/)\s", message.body_text).group(1)


@pytest.fixture
def asked(citizen_client, citizen):
    """« Modifier mes informations » with a new email, validated on the review page."""
    household_get_or_create(account=citizen)
    data = account_post(citizen, email=NEW, phone="07 99 88 77 66", step="confirm")
    response = citizen_client.post(URL, data, follow=True)
    assert response.status_code == 200
    return response


def test_the_new_address_waits_while_the_other_changes_are_saved(asked, citizen):
    old = citizen.email
    citizen.refresh_from_db()
    assert citizen.email == old
    assert citizen.phone == "07 99 88 77 66"
    page = asked.content.decode()
    assert "Un lien de confirmation vient d" in page and NEW in page
    assert EmailChange.objects.get().is_pending


def test_the_new_address_gets_the_link_and_the_old_one_is_told_at_once(asked, citizen):
    confirm = Message.objects.get(to_email=NEW, subject__contains="confirmez")
    assert "/compte/adresse/confirmer/" in confirm.body_text
    notice = Message.objects.get(
        to_email=citizen.email, subject__contains="demande de changement", account=None
    )
    assert "/compte/adresse/annuler/" in notice.body_text
    assert NEW not in notice.body_text  # Masked: c••••@example.net.
    assert "@example.net" in notice.body_text
    # The tokens are in the mails only: the database keeps their hashes.
    token = link_in(confirm).rstrip("/").rsplit("/", 1)[1]
    assert not EmailChange.objects.filter(confirm_token_hash=token).exists()


def test_following_the_link_shows_a_button_and_only_the_post_confirms(client, asked, citizen):
    url = link_in(Message.objects.get(to_email=NEW, subject__contains="confirmez"))
    page = client.get(url)  # A mail client previewing the link changes nothing.
    assert page.status_code == 200 and "Confirmer cette adresse" in page.content.decode()
    citizen.refresh_from_db()
    assert citizen.email != NEW

    response = client.post(url)
    assert "est fait : les messages du portail partent" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email == NEW
    holder = Member.objects.get(household__account=citizen, relationship=Relationship.HOLDER)
    assert holder.email == NEW
    assert AccountEvent.objects.filter(
        account=citizen, kind=AccountEvent.Kind.UPDATED, changes__email__new=NEW
    ).exists()
    assert client.post(url).status_code == 200  # Twice: already done, no error.


def test_the_old_address_cancels_before_or_after_the_confirmation(client, asked, citizen):
    old = citizen.email
    client.post(link_in(Message.objects.get(to_email=NEW, subject__contains="confirmez")))
    cancel = link_in(Message.objects.get(to_email=old, subject__contains="demande de changement"))
    response = client.post(cancel)
    assert response.status_code == 200
    citizen.refresh_from_db()
    assert citizen.email == old
    holder = Member.objects.get(household__account=citizen, relationship=Relationship.HOLDER)
    assert holder.email == old
    # And the confirmation link is dead now.
    assert (
        client.post(
            link_in(Message.objects.get(to_email=NEW, subject__contains="confirmez"))
        ).status_code
        == 410
    )
    citizen.refresh_from_db()
    assert citizen.email == old


def test_a_link_expires_after_48_hours(client, asked, citizen):
    url = link_in(Message.objects.get(to_email=NEW, subject__contains="confirmez"))
    with time_machine.travel(timezone.now() + timedelta(hours=49)):
        response = client.post(url)
    assert response.status_code == 410
    assert "Ce lien a expiré" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.email != NEW


def test_a_made_up_link_is_refused_in_french(client):
    response = client.get(reverse("accounts:email_confirm", args=["nimportequoi"]))
    assert response.status_code == 410
    assert "Ce lien n" in response.content.decode()


def test_a_second_request_replaces_the_first(citizen_client, asked, citizen):
    first = link_in(Message.objects.get(to_email=NEW, subject__contains="confirmez"))
    data = account_post(citizen, email="autre@example.net", step="confirm")
    citizen_client.post(URL, data)
    assert citizen_client.post(first).status_code == 410
    assert EmailChange.objects.filter(cancelled_at=None).get().new_email == "autre@example.net"


def test_the_links_are_masked_in_every_log_line():
    from common.logs import mask_tracking_codes

    line = '"GET /compte/adresse/confirmer/Xy_z-1/ HTTP/1.1" "/compte/adresse/annuler/Ab-2/"'
    assert mask_tracking_codes(line) == (
        '"GET /compte/adresse/confirmer/***/ HTTP/1.1" "/compte/adresse/annuler/***/"'
    )
