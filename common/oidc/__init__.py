"""An OpenID Connect client with the State's federations' checks, shared by FranceConnect
(citizens, ``franceconnect``) and ProConnect (staff, ``staff_login.proconnect``).

``answers``: every call bounded in size and time; ``errors``: the two ways it fails;
``config``: the provider's endpoints (discovery); ``client``: the code traded for checked
claims; ``start``: the authorization request and its state; ``logout``: the end-session URL.
"""
