"""The OpenID Connect client: mozilla-django-oidc's primitives with the State federations'
checks (FranceConnect for citizens, ProConnect for staff).

We use the library's token request (``get_token``), its JWKS lookup by ``kid`` and
``alg`` (``retrieve_matching_jwk``) and its settings for TLS, and not its
``authenticate``: that one creates or finds users by email, where each federation finds
its accounts its own way (FranceConnect by the identity pivot's ``sub``, ProConnect an
existing staff account by the work email). What the library leaves out, we add: the
audience and issuer of the ID token (its ``_verify_jws`` skips the audience), its expiry
and issue time required, an ``acr`` among the accepted ones, RS256 and ES256 both (the
federations set one per client), a userinfo answer signed as a JWT checked the same way,
and its ``sub`` equal to the ID token's. Every failure becomes ProviderUnavailable or
IdentityRefused.
"""

import logging

import jwt
import requests
from django.contrib.auth import get_user_model
from django.core.exceptions import SuspiciousOperation
from mozilla_django_oidc.auth import OIDCAuthenticationBackend
from mozilla_django_oidc.utils import import_from_settings

from common.oidc import answers
from common.oidc.config import ProviderConfig
from common.oidc.errors import IdentityRefused, ProviderUnavailable

log = logging.getLogger(__name__)

# Clocks of two servers differ a little.
LEEWAY_SECONDS = 60
ID_TOKEN_REQUIRED = ("iss", "aud", "exp", "iat", "sub", "nonce")
# Whatever the settings say, these checks are not optional here.
FORCED_SETTINGS = {"OIDC_USE_NONCE": True, "OIDC_ALLOW_UNSECURED_JWT": False}


class OIDCClient(OIDCAuthenticationBackend):
    """Not an authentication backend in AUTHENTICATION_BACKENDS: a client for one exchange.

    ``accepted_acr``: the authentication levels this federation's answer may carry;
    ``timeout``: of each call, in seconds (and of each answer in all, ``answers``).
    """

    def __init__(self, config: ProviderConfig, *, accepted_acr: tuple[str, ...], timeout: float):
        # The parent reads OIDC_OP_* from settings; ours come from the discovery document.
        self.config = config
        self.accepted_acr = accepted_acr
        self.timeout = timeout
        self.OIDC_OP_TOKEN_ENDPOINT = config.token_endpoint
        self.OIDC_OP_USER_ENDPOINT = config.userinfo_endpoint
        self.OIDC_OP_JWKS_ENDPOINT = config.jwks_uri
        self.OIDC_RP_CLIENT_ID = config.client_id
        self.OIDC_RP_CLIENT_SECRET = config.client_secret
        self.OIDC_RP_SIGN_ALGO = config.algorithms[0]
        self.OIDC_RP_IDP_SIGN_KEY = None  # always the provider's JWKS
        self.UserModel = get_user_model()

    def get_settings(self, attr, *args):
        if attr in FORCED_SETTINGS:
            return FORCED_SETTINGS[attr]
        return import_from_settings(attr, *args)

    def fetch(self, method: str, url: str, **kwargs) -> requests.Response:
        """Every call to the provider: bounded in size and time (``answers``), with the
        library's settings for TLS and proxies."""
        return answers.fetch(
            method,
            url,
            timeout=self.timeout,
            verify=self.get_settings("OIDC_VERIFY_SSL", True),
            proxies=self.get_settings("OIDC_PROXY", None),
            **kwargs,
        )

    # The exchange

    def claims_for(self, *, code: str, nonce: str, redirect_uri: str) -> tuple[dict, dict, str]:
        """Trade the code for tokens, check them, read the userinfo; returns the userinfo
        claims, the ID token's claims and the ID token (kept for the end-session request)."""
        try:
            tokens = self.get_token(
                {
                    "client_id": self.OIDC_RP_CLIENT_ID,
                    "client_secret": self.OIDC_RP_CLIENT_SECRET,
                    "grant_type": "authorization_code",
                    "code": code,
                    "redirect_uri": redirect_uri,
                }
            )
            id_token, access_token = tokens.get("id_token"), tokens.get("access_token")
            if not (isinstance(id_token, str) and isinstance(access_token, str)):
                raise IdentityRefused("token response without id_token or access_token")
            claims = self.verify_token(id_token, nonce=nonce)
            userinfo = self.get_userinfo(access_token, id_token, claims)
        except requests.HTTPError as error:
            status = error.response.status_code if error.response is not None else 0
            if 400 <= status < 500:
                # invalid_grant: a code already used or expired, a redirect_uri mismatch.
                raise IdentityRefused(f"provider said {status}") from error
            raise ProviderUnavailable(f"provider said {status}") from error
        except requests.RequestException as error:
            raise ProviderUnavailable(error.__class__.__name__) from error
        except (SuspiciousOperation, jwt.PyJWTError) as error:
            raise IdentityRefused(f"{error.__class__.__name__}: {error}") from error
        except (ValueError, KeyError, TypeError, AttributeError) as error:
            raise ProviderUnavailable(f"unreadable answer: {error.__class__.__name__}") from error
        if userinfo.get("sub") != claims["sub"]:
            raise IdentityRefused("userinfo sub differs from the ID token's")
        return userinfo, claims, id_token

    def get_token(self, payload):
        """The library's token request, its body read within bounds and required to be a
        JSON object (the federations take ``client_secret`` in the form, not Basic)."""
        response = self.fetch("POST", self.OIDC_OP_TOKEN_ENDPOINT, data=payload)
        self.raise_token_response_error(response)
        return answers.json_object(response)

    def retrieve_matching_jwk(self, token):
        """The key of the JWKS with the token's ``kid`` (and its ``alg`` when the key names
        one), as the library finds it, from an answer read within bounds; a JWKS of the
        wrong shape is the provider's failure (ValueError), no matching key a refusal."""
        keys = answers.json_object(self.fetch("GET", self.OIDC_OP_JWKS_ENDPOINT)).get("keys")
        if not isinstance(keys, list):
            raise ValueError("JWKS without a list of keys")
        header = jwt.get_unverified_header(token)
        matching = [
            jwk
            for jwk in keys
            if isinstance(jwk, dict)
            and jwk.get("kid") == header.get("kid")
            and jwk.get("alg", header.get("alg")) == header.get("alg")
        ]
        if not matching:
            raise SuspiciousOperation("no key of the JWKS matches the token")
        return jwt.PyJWK(matching[-1])

    # Checks

    def verify_token(self, token, **kwargs):
        """The ID token: signed by a key of the JWKS, for us, from the issuer, not expired,
        carrying the nonce this browser's session holds and an accepted level."""
        key = self.retrieve_matching_jwk(token)
        claims = jwt.decode(
            token,
            key,
            algorithms=list(self.config.algorithms),
            audience=self.config.client_id,
            issuer=self.config.issuer,
            leeway=LEEWAY_SECONDS,
            options={"require": list(ID_TOKEN_REQUIRED)},
        )
        audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
        if len(audiences) > 1 and claims.get("azp") != self.config.client_id:
            raise IdentityRefused("several audiences and azp is not us")
        if kwargs.get("nonce") is None or claims["nonce"] != kwargs["nonce"]:
            raise IdentityRefused("nonce differs from the session's")
        if claims.get("acr") not in self.accepted_acr:
            raise IdentityRefused(f"acr {claims.get('acr')!r}")
        return claims

    def get_userinfo(self, access_token, id_token, payload):
        """The federations answer with a signed JWT (``application/jwt``); plain JSON is
        accepted too, as the userinfo request itself is authenticated by TLS."""
        response = self.fetch(
            "GET", self.OIDC_OP_USER_ENDPOINT, headers={"Authorization": f"Bearer {access_token}"}
        )
        response.raise_for_status()
        content_type = response.headers.get("content-type", "").lower()
        if not content_type.startswith("application/jwt"):
            return answers.json_object(response)
        token = response.text.strip()
        claims = jwt.decode(
            token,
            self.retrieve_matching_jwk(token),
            algorithms=list(self.config.algorithms),
            leeway=LEEWAY_SECONDS,
            # The userinfo JWT may carry no aud or iss: checked below when it does.
            options={"require": ["sub"], "verify_aud": False, "verify_iss": False},
        )
        if "iss" in claims and claims["iss"] != self.config.issuer:
            raise IdentityRefused("userinfo from another issuer")
        if "aud" in claims:
            audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
            if self.config.client_id not in audiences:
                raise IdentityRefused("userinfo for another client")
        return claims
