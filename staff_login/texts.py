"""What the admin login page says when a way of logging in fails (no python-ldap here, so
that the tests and the templates read it without the optional extra)."""

DIRECTORY_UNAVAILABLE = (
    "L'annuaire de la mairie ne répond pas pour le moment : réessayez dans quelques minutes "
    "ou connectez-vous avec ProConnect. Les administrateurs du portail peuvent se connecter "
    "avec leur identifiant du portail."
)
