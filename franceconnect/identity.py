"""The certified identity FranceConnect gives, and what the portal's account takes of it."""

from dataclasses import asdict, dataclass, fields
from datetime import date

from accounts.models import Civility

# The identity pivot and the email (FranceConnect v2's scopes of the same names).
SCOPES = (
    "openid",
    "given_name",
    "family_name",
    "birthdate",
    "gender",
    "birthplace",
    "birthcountry",
    "preferred_username",
    "email",
)
REQUIRED_CLAIMS = ("sub", "given_name", "family_name", "birthdate", "gender")
# The longest value kept of each claim (the account's columns: a longer one would fail at
# the database, after the citizen filled in the completion page); others: CLAIM_MAX_LENGTH.
CLAIM_MAX_LENGTHS = {"sub": 255, "email": 254}
CLAIM_MAX_LENGTH = 150
CIVILITY_OF_GENDER = {"female": Civility.MADAME, "male": Civility.MONSIEUR}
# The INSEE code FranceConnect sends as birthcountry for France.
FRANCE = "99100"


class IdentityIncomplete(ValueError):
    """The provider's claims lack what an account needs; the message is for the citizen."""


@dataclass(frozen=True)
class CertifiedIdentity:
    sub: str
    given_name: str
    family_name: str
    birthdate: str  # ISO, as received
    gender: str
    birthplace: str = ""  # INSEE code of the town, for those born in France
    birthcountry: str = ""  # INSEE code of the country
    preferred_username: str = ""  # the usage name, when the person has one
    email: str = ""

    @classmethod
    def from_claims(cls, claims: dict) -> "CertifiedIdentity":
        missing = [name for name in REQUIRED_CLAIMS if not str(claims.get(name) or "").strip()]
        if missing:
            raise IdentityIncomplete(
                "FranceConnect n'a pas transmis toute votre identité "
                f"({', '.join(missing)}) : créez votre compte avec le formulaire."
            )
        identity = cls(
            **{item.name: str(claims.get(item.name) or "").strip() for item in fields(cls)}
        )
        overlong = [
            item.name
            for item in fields(cls)
            if len(getattr(identity, item.name))
            > CLAIM_MAX_LENGTHS.get(item.name, CLAIM_MAX_LENGTH)
        ]
        if overlong:
            raise IdentityIncomplete(
                "FranceConnect a transmis une identité que le portail ne peut pas enregistrer "
                f"({', '.join(overlong)} trop long) : présentez-vous au guichet unique."
            )
        try:
            date.fromisoformat(identity.birthdate)
        except ValueError:
            raise IdentityIncomplete(
                "Votre date de naissance transmise par FranceConnect est incomplète : "
                "créez votre compte avec le formulaire ou présentez-vous au guichet unique."
            ) from None
        if identity.gender not in CIVILITY_OF_GENDER:
            raise IdentityIncomplete("FranceConnect a transmis un sexe que le portail ignore.")
        return identity

    def as_dict(self) -> dict:
        return asdict(self)

    @property
    def birth_date(self) -> date:
        return date.fromisoformat(self.birthdate)

    @property
    def civility(self) -> str:
        return CIVILITY_OF_GENDER[self.gender]

    def account_fields(self) -> dict:
        """The account's identity fields as FranceConnect certifies them."""
        return {
            "civility": self.civility,
            "last_name": self.family_name.upper(),
            "first_name": self.given_name,
            "birth_date": self.birth_date,
        }
