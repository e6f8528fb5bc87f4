"""Django's database sessions, written once at a login instead of three times.

A login gives the session a new key (against session fixation). Django's database
backend then asks whether the random key exists, inserts the session under it at
once, and updates it at the end of the request with the account's id: three
statements, and a transaction each for the two writes. Here the new key is only
chosen at the login; the row is inserted once, at the end of the request, with what
the login put in it. A collision of two random 32-character keys would make that
INSERT fail as the key's uniqueness requires: a new key is drawn and the INSERT tried
again, as Django's own ``create()`` does.

Settings: SESSION_ENGINE = "accounts.sessions". Everything else (the cookie, the
expiry, ``clearsessions``, the purge) is Django's database backend unchanged.
"""

from django.contrib.sessions.backends.base import VALID_KEY_CHARS, CreateError
from django.contrib.sessions.backends.db import SessionStore as DatabaseSessionStore
from django.utils.crypto import get_random_string


class SessionStore(DatabaseSessionStore):
    # True between a new key and the INSERT that stores it.
    _unsaved_key = False

    def _get_new_session_key(self) -> str:
        """A random key, unchecked: the INSERT is the check (it fails on a duplicate)."""
        return get_random_string(32, VALID_KEY_CHARS)

    def cycle_key(self) -> None:
        """A new key for the same data, stored when the request ends; the old row goes."""
        data = self._session
        old_key = self.session_key
        self._session_key = self._get_new_session_key()
        self._session_cache = data
        self._unsaved_key = True
        self.modified = True
        if old_key:
            self.delete(old_key)

    def save(self, must_create: bool = False) -> None:
        if not self._unsaved_key:
            return super().save(must_create=must_create)
        while True:
            try:
                super().save(must_create=True)
            except CreateError:
                self._session_key = self._get_new_session_key()
                continue
            self._unsaved_key = False
            return
