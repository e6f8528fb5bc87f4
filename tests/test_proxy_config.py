"""The documented proxy (deploy/nginx.conf) agrees with the portal's settings."""

import re
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
CONF = (ROOT / "deploy" / "nginx.conf").read_text(encoding="utf-8")


def test_the_proxy_caps_the_body_just_above_the_portal():
    megabytes = int(re.search(r"client_max_body_size (\d+)m;", CONF).group(1))
    portal = settings.REQUEST_BODY_MAX_SIZE // (1024 * 1024)
    # The portal answers in French up to its cap; the proxy stops what is larger.
    assert portal < megabytes <= portal + 2


def test_the_proxy_appends_the_client_address_as_one_trusted_proxy():
    assert "proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;" in CONF
    assert "proxy_set_header X-Forwarded-Proto $scheme;" in CONF
    assert "AXES_PROXY_COUNT=1" in (ROOT / ".env.example").read_text(encoding="utf-8")


def test_the_access_log_writes_paths_and_referrers_masked_only():
    log_format = re.search(r"log_format portal (.*?);", CONF, re.DOTALL).group(1)
    for raw in ("$request ", "$request_uri", "$http_referer", "$uri", "$args"):
        assert raw not in log_format
    for line in re.findall(r"access_log .*;", CONF):
        assert line.endswith(" portal;")


@pytest.mark.needs_tool("nginx")
def test_nginx_accepts_the_configuration(tmp_path):
    certificate = tmp_path / "cert.pem"
    key = tmp_path / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost"]
        + ["-keyout", str(key), "-out", str(certificate), "-days", "1"],
        check=True,
        capture_output=True,
    )
    site = CONF.replace("/etc/ssl/portail.mairie.example/fullchain.pem", str(certificate))
    site = site.replace("/etc/ssl/portail.mairie.example/privkey.pem", str(key))
    site = site.replace("/var/log/nginx/", f"{tmp_path}/")
    (tmp_path / "portal.conf").write_text(site)
    (tmp_path / "nginx.conf").write_text(
        f"pid {tmp_path}/nginx.pid; error_log {tmp_path}/error.log; events {{}}\n"
        f"http {{ include {tmp_path}/portal.conf; }}\n"
    )
    result = subprocess.run(
        ["nginx", "-t", "-c", str(tmp_path / "nginx.conf")], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
