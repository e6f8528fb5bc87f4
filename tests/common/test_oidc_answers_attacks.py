"""A federation's answer whose Content-Length is not a number int() reads (« ² »: str.isdigit()
says yes) is read by its body like any other, never a 500 at the login's callback."""

import io

import pytest
import requests

from common.oidc import answers


@pytest.mark.parametrize("declared", ["²", "①", "9" * 5000])
def test_a_content_length_int_refuses_is_read_by_the_body(monkeypatch, declared):
    def fake_request(method, url, **kwargs):
        response = requests.Response()
        response.status_code = 200
        response.headers["Content-Length"] = declared
        response.raw = io.BytesIO(b'{"sub": "x"}')
        return response

    monkeypatch.setattr(answers.requests, "request", fake_request)
    response = answers.fetch("GET", "https://fc.example/userinfo", timeout=5)
    assert response.json() == {"sub": "x"}
