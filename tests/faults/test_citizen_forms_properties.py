"""Property: whatever a citizen types in any form, the portal answers with a page (a form
error in French, a redirection), never a 500, and a refused form saves nothing.

Each case starts from a form that would be accepted and lets hypothesis replace one to
three of its fields with what the database or the code may choke on: NUL bytes, control
and bidirectional characters, other scripts' digits, oversized values, broken dates.
"""

from dataclasses import dataclass, field
from html.parser import HTMLParser

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.models import User
from households.models import Member, Relationship, Sex
from households.services import household_get_or_create
from notifications.models import Message
from procedures.models import Request
from procedures.services import request_transition
from tests.accounts.test_registration import valid_data as registration_data
from tests.factories import PASSWORD, ClerkFactory, UserFactory
from tests.households.factories import born_years_ago
from tests.households.test_member_add import adult_data, child_data
from tests.notifications.test_messages import submit
from tests.procedures.factories import bulky_waste
from tests.procedures.test_anonymous import certificate_procedure
from tests.procedures.test_anonymous import valid_data as certificate_data

pytestmark = pytest.mark.django_db

NASTY_WORDS = [
    "\x00",
    "a\x00b",
    "\x00" * 40,
    "\ufeff",
    "\u202eevil",
    "\x1b[31m",
    "١٢٣٤",
    "1e5",
    "9" * 40,
    "-1",
    "2026-02-30",
    "31/12/9999",
    "0001-01-01",
    "<script>alert(1)</script>",
    "%00",
    "\r\n",
    "   ",
    "x" * 100_000,
]
NASTY = st.one_of(
    st.sampled_from(NASTY_WORDS),
    st.text(max_size=40),
    st.text(min_size=256, max_size=400),
    st.builds(lambda text: text + "\x00" + text, st.text(max_size=10)),
)
# Rows a refused form must not have written.
WATCHED = (User, Member, Request, Message)


@dataclass
class FormCase:
    url: str
    base: dict
    method: str = "post"
    names: list[str] = field(default_factory=list)

    def send(self, client, data: dict):
        return getattr(client, self.method)(self.url, data)


class FormReader(HTMLParser):
    """The fields of a page's forms and the values they show (what the browser would send)."""

    def __init__(self):
        super().__init__()
        self.values: dict[str, str] = {}
        self.names: set[str] = set()
        self.select = self.textarea = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") not in ("file", "submit"):
            self.names.add(name)
            checkable = attrs.get("type") in ("checkbox", "radio")
            if not checkable or "checked" in attrs:
                self.values[name] = attrs.get("value") or ""
        elif tag == "select" and name:
            self.names.add(name)
            self.select = name
        elif (
            tag == "option"
            and self.select
            and ("selected" in attrs or self.select not in self.values)
        ):
            self.values[self.select] = attrs.get("value", "")
        elif tag == "textarea" and name:
            self.names.add(name)
            self.textarea = name
            self.values[name] = ""

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None

    def handle_data(self, data):
        if self.textarea:
            self.values[self.textarea] += data


def read_form(page: str) -> FormReader:
    reader = FormReader()
    reader.feed(page)
    reader.names.discard("csrfmiddlewaretoken")
    reader.values.pop("csrfmiddlewaretoken", None)
    return reader


def counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in WATCHED)


def citizen_with_household(client):
    citizen = UserFactory(first_name="Camille", last_name="MARTIN")
    household_get_or_create(account=citizen)
    client.force_login(citizen)
    return citizen


def build_case(name: str, client) -> FormCase:
    """The form, as a citizen (or an anonymous visitor) finds it, with accepted values."""
    if name == "search":
        return FormCase(reverse("procedures:catalogue"), {"q": "encombrants"}, "get", ["q"])
    if name == "lost_password_identifier":
        url = reverse("accounts:password_forgotten")
        return FormCase(url, {"identifiant": "abcdefgh"}, "get", ["identifiant"])
    if name == "lost_password_answer":
        url = reverse("accounts:password_forgotten")
        return FormCase(url, {"identifier": "abcdefgh", "answer": "Rex"}, names=["identifier"])
    if name == "login":
        account = UserFactory()
        base = {"username": account.identifier, "password": PASSWORD}
        return FormCase(reverse("accounts:login"), base)
    if name == "register":
        return FormCase(reverse("accounts:register"), registration_data())
    if name == "anonymous_certificate":
        procedure = certificate_procedure()
        return FormCase(
            reverse("procedures:anonymous_start", args=[procedure.slug]), certificate_data()
        )
    citizen = citizen_with_household(client)
    if name == "account_edit":
        return FormCase(reverse("households:account_edit"), {})
    if name == "password_change":
        base = {
            "old_password": PASSWORD,
            "password1": "Tres-Bon-Mot2passe!",
            "password2": "Tres-Bon-Mot2passe!",
        }
        return FormCase(reverse("accounts:password_change"), base)
    if name == "member_add_child":
        return FormCase(reverse("households:member_add_child"), child_data(step="confirm"))
    if name == "member_add_adult":
        return FormCase(reverse("households:member_add_adult"), adult_data(step="confirm"))
    if name == "member_edit":
        household = household_get_or_create(account=citizen)
        child = Member.objects.create(
            household=household,
            relationship=Relationship.CHILD,
            sex=Sex.FEMALE,
            last_name="MARTIN",
            first_names="Léa",
            birth_date=born_years_ago(7),
        )
        return FormCase(reverse("households:member_edit", args=[child.pk]), {})
    if name == "reply":
        waiting = submit(citizen)
        clerk = ClerkFactory()
        request_transition(citizen_request=waiting, name="start", by=clerk)
        request_transition(citizen_request=waiting, name="ask_citizen", by=clerk, comment="Photo ?")
        return FormCase(reverse("procedures:detail", args=[waiting.pk]), {"message": "La voici"})
    if name == "procedure":
        procedure = bulky_waste()
        base = {
            "f_date_souhaitee": "2026-12-10",
            "f_objets": "Un canapé et une armoire",
            "f_acces": "Rez-de-chaussée",
        }
        return FormCase(reverse("procedures:start", args=[procedure.slug]), base)
    raise AssertionError(f"{name} for {citizen}")


CASES = [
    "search",
    "lost_password_identifier",
    "lost_password_answer",
    "login",
    "register",
    "anonymous_certificate",
    "account_edit",
    "password_change",
    "member_add_child",
    "member_add_adult",
    "member_edit",
    "procedure",
    "reply",
]


@pytest.fixture(params=CASES)
def case(request, client) -> FormCase:
    built = build_case(request.param, client)
    if not built.names:
        shown = read_form(client.get(built.url).content.decode())
        built.base = {**shown.values, **built.base}
        built.names = sorted(shown.names | set(built.base))
    return built


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=st.data())
def test_no_citizen_form_answers_500_and_a_refused_one_saves_nothing(client, case, data):
    changed = data.draw(st.dictionaries(st.sampled_from(case.names), NASTY, min_size=1, max_size=3))
    before = counts()
    response = case.send(client, {**case.base, **changed})
    assert response.status_code < 500
    form = response.context.get("form") if response.context else None
    if form is not None and form.errors:
        assert counts() == before


def test_every_case_starts_from_a_form_that_is_accepted(client, case):
    """Otherwise the property would only ever try forms refused for another reason."""
    response = case.send(client, case.base)
    form = response.context.get("form") if response.context else None
    assert not (form is not None and form.errors), form.errors


@pytest.mark.parametrize("case_name", ["login", "register", "lost_password_answer", "procedure"])
def test_a_body_in_a_broken_encoding_is_a_form_error(client, case_name):
    """Bytes that are not UTF-8 (Latin-1, a cut sequence) in every field of the form."""
    built = build_case(case_name, client)
    body = "&".join(f"{name}=%E9t%C3%28%FF%00" for name in built.base)
    before = counts()
    response = client.post(built.url, body, content_type="application/x-www-form-urlencoded")
    assert response.status_code < 500
    assert counts() == before
