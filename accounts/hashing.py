"""The same hashing work whether an account exists or not, so that time tells nothing.

A failed login runs two password checks (the password, then the temporary password)
and a lost-password answer runs one, whoever the identifier names: an unknown,
inactive, pending or staff account, or one without a temporary password. Where there
is no real hash to check against, a dummy hash of the current hasher, with its
current costs (Argon2's memory, iterations and lanes), stands in.
"""

import functools
import secrets

from django.contrib.auth.hashers import check_password, get_hasher, make_password

COSTS = ("memory_cost", "time_cost", "parallelism", "iterations", "rounds")


def costs_of(hasher) -> tuple:
    """What a check of this hasher costs: a dummy made with other costs would tell."""
    return tuple(getattr(hasher, name, None) for name in COSTS)


@functools.cache
def dummy_hash(algorithm: str, costs: tuple = ()) -> str:
    """A hash of a random secret nobody knows, made once per process, hasher and costs."""
    return make_password(secrets.token_urlsafe(32), hasher=algorithm)


def dummy_check(raw: str) -> bool:
    """The work of one real check of ``raw``, with no account behind it: always False."""
    hasher = get_hasher()
    check_password(raw, dummy_hash(hasher.algorithm, costs_of(hasher)))
    return False
