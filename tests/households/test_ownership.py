"""Citizens reach only their own household: another household's member id answers 404."""

import pytest
from django.urls import reverse

from households.models import HouseholdEvent, Member


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("member_detail", "get"),
        ("member_edit", "get"),
        ("member_edit", "post"),
        ("member_remove", "get"),
        ("member_remove", "post"),
    ],
)
def test_another_households_member_answers_404(
    citizen_client, household, other_member, name, method
):
    url = reverse(f"households:{name}", args=[other_member.pk])
    data = {
        "first_names": "Pirate",
        "last_name": "PIRATE",
        "sex": "M",
        "relationship": "enfant",
        "birth_date": "2015-01-01",
        "step": "confirm",
    }

    response = getattr(citizen_client, method)(url, data if method == "post" else None)

    assert response.status_code == 404
    assert "Secret" not in response.content.decode()
    other_member.refresh_from_db()
    assert other_member.first_names == "Secret"
    assert not HouseholdEvent.objects.filter(member=other_member).exists()


@pytest.mark.django_db
def test_an_unknown_member_id_answers_404_too(citizen_client, household):
    missing = (Member.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    response = citizen_client.get(reverse("households:member_detail", args=[missing]))
    assert response.status_code == 404


@pytest.mark.django_db
def test_the_tab_lists_only_the_citizens_own_household(citizen_client, household, other_member):
    page = citizen_client.get(reverse("households:account")).content.decode()
    assert "Secret" not in page
    assert "INTRUSE" not in page
