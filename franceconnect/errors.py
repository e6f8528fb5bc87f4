"""What can go wrong on the way back from FranceConnect, each told apart on its page."""


class FranceConnectError(Exception):
    """Base class; the message is for the logs, the page says it in French."""


class ProviderUnavailable(FranceConnectError):
    """FranceConnect did not answer in time, or answered with an error (502 page)."""


class IdentityRefused(FranceConnectError):
    """The answer failed a check: state, nonce, signature, issuer, audience, expiry (400)."""
