"""The authentication backend a ProConnect session is opened with.

The callback logs the staff member in itself once ProConnect's answer is checked
(``staff_login.proconnect``); Django still needs a backend path in the session to load
the user on each request, and this one checks no password: it answers None to every
``authenticate`` call, so that no password form can reach an account through it.
"""

from django.contrib.auth.backends import ModelBackend

BACKEND_PATH = "staff_login.backends.ProConnectBackend"


class ProConnectBackend(ModelBackend):
    def authenticate(self, request, **credentials):
        return None
