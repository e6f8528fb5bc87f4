"""Argon2id at the cost the threat needs, set in settings (ARGON2_*), not in code.

Django's defaults (100 MiB, 8 lanes) cost about 120 ms of a 2-core machine per
login: the morning school registrations open would be spent hashing. OWASP's
minimum for Argon2id (19 MiB, 2 iterations, 1 lane) costs about 17 ms here and
still makes each guess of an offline attacker pay 19 MiB of memory.

The algorithm's name stays "argon2": hashes made with other parameters are still
checked, and Django hashes the password again with these at the next successful
login (``must_update`` compares the parameters stored in the hash).
"""

from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher


class TunedArgon2PasswordHasher(Argon2PasswordHasher):
    """Django's Argon2id hasher, its three costs read from settings at each use."""

    @property
    def time_cost(self) -> int:
        return settings.ARGON2_TIME_COST

    @property
    def memory_cost(self) -> int:
        return settings.ARGON2_MEMORY_KIB

    @property
    def parallelism(self) -> int:
        return settings.ARGON2_PARALLELISM
