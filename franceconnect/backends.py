"""The authentication backend a FranceConnect session is opened with.

The callback view logs the citizen in itself once the provider's answer is checked
(``franceconnect.views``); Django still needs a backend path in the session to load the
user on each request, and this one checks no password: it answers None to every
``authenticate`` call, so that the password form can never reach an account through it.
"""

from django.contrib.auth.backends import ModelBackend

BACKEND_PATH = "franceconnect.backends.FranceConnectBackend"


class FranceConnectBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None
