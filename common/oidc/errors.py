"""What can go wrong on the way back from an identity provider, each told apart on its page."""


class ProviderError(Exception):
    """Base class; the message is for the logs, the page says it in French."""


class ProviderUnavailable(ProviderError):
    """The provider did not answer in time, or answered with an error (502 page)."""


class IdentityRefused(ProviderError):
    """The answer failed a check: state, nonce, signature, issuer, audience, expiry (400)."""
