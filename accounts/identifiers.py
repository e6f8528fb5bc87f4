"""Identifiers and temporary passwords that people read in a mail and type by hand."""

import secrets

# No 0/O, 1/l/I: nothing that a citizen can misread.
LOWER = "abcdefghjkmnpqrstuvwxyz"
UPPER = "ABCDEFGHJKMNPQRSTUVWXYZ"
DIGITS = "23456789"
SYMBOLS = "-+=!?#"
IDENTIFIER_LENGTH = 8


def new_identifier() -> str:
    alphabet = LOWER + DIGITS
    return "".join(secrets.choice(alphabet) for _ in range(IDENTIFIER_LENGTH))


def normalize_identifier(raw: str) -> str:
    return raw.strip().lower()


def new_temporary_password(length: int = 16) -> str:
    """One character of every class at least, so that it also meets the password policy."""
    pools = [LOWER, UPPER, DIGITS, SYMBOLS]
    chars = [secrets.choice(pool) for pool in pools]
    everything = "".join(pools)
    chars += [secrets.choice(everything) for _ in range(length - len(chars))]
    secrets.SystemRandom().shuffle(chars)
    return "".join(chars)
