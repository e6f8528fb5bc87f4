"""What the W3C checker and the audit found in the « Compte » forms' markup: phone inputs
typed once as ``tel``, the holder's birth date and address autocompleted with valid tokens,
and review pages whose hidden inputs point at nothing."""

import re

import pytest
from django.urls import reverse

from tests.households.test_member_add import ADD_ADULT, adult_data

pytestmark = pytest.mark.usefixtures("household")
ACCOUNT_EDIT = reverse("households:account_edit")


def input_tag(page: str, name: str) -> str:
    return re.search(rf'<input[^>]*name="{name}"[^>]*>', page).group(0)


@pytest.mark.django_db
@pytest.mark.parametrize("url", [ACCOUNT_EDIT, ADD_ADULT])
def test_the_phone_input_is_of_type_tel_once(citizen_client, url):
    tag = input_tag(citizen_client.get(url).content.decode(), "phone")
    assert re.findall(r'\btype="([^"]*)"', tag) == ["tel"]


@pytest.mark.django_db
def test_the_holders_birth_date_and_address_autocomplete_with_valid_tokens(citizen_client):
    page = citizen_client.get(ACCOUNT_EDIT).content.decode()
    assert 'autocomplete="bday"' in input_tag(page, "birth_date")
    assert 'autocomplete="address-line1"' in input_tag(page, "address")
    assert "street-address" not in page


@pytest.mark.django_db
def test_another_members_birth_date_is_not_the_account_holders_bday(citizen_client):
    assert "bday" not in input_tag(citizen_client.get(ADD_ADULT).content.decode(), "birth_date")


@pytest.mark.django_db
def test_the_review_pages_hidden_inputs_carry_only_name_and_value(citizen_client):
    page = citizen_client.post(ADD_ADULT, adult_data(step="review")).content.decode()
    hidden = re.findall(r'<input type="hidden"[^>]*>', page)
    assert len(hidden) > 5
    for tag in hidden:
        assert "aria-describedby" not in tag and "required" not in tag, tag
