import html

import pytest
from django.urls import reverse

from households import services
from households.models import HouseholdEvent, Member
from households.signals import member_removal_check

IN_PROGRESS = "Une demande en cours concerne cette personne : « Inscription à la cantine »."


def remove_url(member):
    return reverse("households:member_remove", args=[member.pk])


@pytest.fixture
def request_in_progress():
    """A stand-in for the procedures app: a request in progress concerns the members listed."""
    concerned: set[int] = set()

    def checker(sender, member, **kwargs):
        return IN_PROGRESS if member.pk in concerned else None

    member_removal_check.connect(checker, dispatch_uid="test-request-in-progress")
    yield concerned
    member_removal_check.disconnect(dispatch_uid="test-request-in-progress")


# The service


@pytest.mark.django_db
def test_member_remove_deletes_the_member_and_keeps_their_name_in_the_history(child, citizen):
    services.member_remove(member=child, by=citizen)

    assert not Member.objects.filter(pk=child.pk).exists()
    event = HouseholdEvent.objects.get(action=HouseholdEvent.Action.MEMBER_REMOVED)
    assert event.member is None
    assert event.member_name == "Zoé MARTIN"
    assert event.actor == citizen
    assert event.changes["first_names"] == {"old": "Zoé", "new": ""}


@pytest.mark.django_db
def test_member_remove_refuses_the_holder(holder, citizen):
    with pytest.raises(services.MemberRemovalRefused) as refusal:
        services.member_remove(member=holder, by=citizen)
    assert refusal.value.reasons == ["Le titulaire du compte ne peut pas être retiré du foyer."]
    assert Member.objects.filter(pk=holder.pk).exists()


@pytest.mark.django_db
def test_member_remove_refuses_a_member_a_request_in_progress_concerns(
    child, citizen, request_in_progress
):
    request_in_progress.add(child.pk)

    with pytest.raises(services.MemberRemovalRefused) as refusal:
        services.member_remove(member=child, by=citizen)

    assert refusal.value.reasons == [IN_PROGRESS]
    assert Member.objects.filter(pk=child.pk).exists()
    assert not HouseholdEvent.objects.filter(action=HouseholdEvent.Action.MEMBER_REMOVED).exists()


@pytest.mark.django_db
def test_a_checker_that_finds_nothing_lets_the_member_go(child, citizen, request_in_progress):
    services.member_remove(member=child, by=citizen)
    assert not Member.objects.filter(pk=child.pk).exists()


# The views


@pytest.mark.django_db
def test_remove_asks_for_confirmation_first(citizen_client, child):
    response = citizen_client.get(remove_url(child))

    assert response.status_code == 200
    page = html.unescape(response.content.decode())
    assert "<h1>Retirer Zoé MARTIN du foyer</h1>" in page
    assert '<button type="submit" class="button button--danger">Retirer du foyer</button>' in page
    assert Member.objects.filter(pk=child.pk).exists()


@pytest.mark.django_db
def test_confirming_removes_the_member_from_the_household(citizen_client, child):
    response = citizen_client.post(remove_url(child))

    assert response.status_code == 302
    assert response["Location"] == reverse("households:account")
    assert not Member.objects.filter(pk=child.pk).exists()
    page = html.unescape(citizen_client.get(response["Location"]).content.decode())
    assert "Zoé MARTIN ne fait plus partie de votre foyer." in page


@pytest.mark.django_db
def test_the_page_says_why_when_a_request_in_progress_concerns_the_member(
    citizen_client, child, request_in_progress
):
    request_in_progress.add(child.pk)

    response = citizen_client.get(remove_url(child))

    page = html.unescape(response.content.decode())
    assert "Cette personne ne peut pas être retirée du foyer" in page
    assert IN_PROGRESS in page
    assert "<button" not in page.split("<main")[1].split("</main>")[0]


@pytest.mark.django_db
def test_a_post_is_refused_with_the_reason_when_a_request_in_progress_concerns_the_member(
    citizen_client, child, request_in_progress
):
    request_in_progress.add(child.pk)

    response = citizen_client.post(remove_url(child))

    assert response.status_code == 409
    assert IN_PROGRESS in html.unescape(response.content.decode())
    assert Member.objects.filter(pk=child.pk).exists()


@pytest.mark.django_db
def test_the_holder_cannot_be_removed_and_the_page_says_why(citizen_client, holder):
    page = html.unescape(citizen_client.get(remove_url(holder)).content.decode())
    assert "Le titulaire du compte ne peut pas être retiré du foyer." in page

    response = citizen_client.post(remove_url(holder))
    assert response.status_code == 409
    assert Member.objects.filter(pk=holder.pk).exists()
