"""The link that cancels or moves an appointment without logging in.

Whoever holds the link manages the appointment, so the token is long and random
(32 bytes, 256 bits) and only its SHA-256 is stored: a copy of the database does not
give the links. A hash without salt is enough for a random value of that length.
"""

import hashlib
import secrets


def new_token() -> str:
    return secrets.token_urlsafe(32)


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()
