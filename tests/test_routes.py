"""{% route %} gives what {% url %} gives, for the links it is used for."""

import pytest
from django.template import Context, Template
from django.urls import reverse, set_script_prefix

from citizen_portal.templatetags.routes import route


def render(source: str, **context) -> str:
    return Template("{% load routes %}" + source).render(Context(context))


@pytest.mark.parametrize(
    "name", ["home", "help", "households:account", "procedures:request_list", "privacy:data"]
)
def test_a_link_without_id_is_the_reversed_url(name):
    assert render("{% route name %}", name=name) == reverse(name)


@pytest.mark.parametrize("name", ["procedures:detail", "procedures:pdf", "procedures:summary"])
def test_a_link_with_an_id_is_the_reversed_url_of_that_id(name):
    for pk in (1, 42, 1234567):
        assert render("{% route name pk %}", name=name, pk=pk) == reverse(name, args=[pk])


def test_the_script_prefix_of_the_deployment_is_kept():
    set_script_prefix("/portail/")
    try:
        assert route("procedures:detail", 7) == "/portail/demandes/7/"
        assert route("home") == "/portail/"
    finally:
        set_script_prefix("/")
    assert route("procedures:detail", 7) == "/demandes/7/"


def test_an_id_that_is_not_a_number_is_refused():
    with pytest.raises(ValueError):
        route("procedures:detail", "7/../../admin")
