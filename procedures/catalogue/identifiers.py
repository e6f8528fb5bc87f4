"""French identifiers a form asks for, each cleaned to one written form and checked:
SIRET (Luhn), RNA, IBAN (ISO 13616, mod 97), BIC, number plates (SIV, and the older
FNI when a field accepts it), postal codes. Each returns the cleaned text or raises a
``ValidationError`` with a French message a citizen can act on."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

SPACES = re.compile(r"[\s.\-]+")
# La Poste's establishments share one SIREN whose SIRET follow another rule.
LA_POSTE_SIREN = "356000000"
SIV = re.compile(r"^([A-HJ-NP-TV-Z]{2})-?(\d{3})-?([A-HJ-NP-TV-Z]{2})$")
FNI = re.compile(r"^(\d{1,4}) ?([A-Z]{1,3}) ?(\d{2}|2A|2B|97\d)$")
RNA = re.compile(r"^W\d{9}$")
BIC = re.compile(r"^[A-Z]{4}[A-Z]{2}[A-Z0-9]{2}(?:[A-Z0-9]{3})?$")
POSTAL_CODE = re.compile(r"^\d{5}$")


def compact(value: str) -> str:
    return SPACES.sub("", value).upper()


def luhn_valid(digits: str) -> bool:
    total = 0
    for position, digit in enumerate(reversed(digits)):
        number = int(digit)
        if position % 2:
            number *= 2
            number -= 9 if number > 9 else 0
        total += number
    return total % 10 == 0


def clean_siret(value: str) -> str:
    siret = compact(value)
    if not siret.isdigit() or len(siret) != 14:
        raise ValidationError(
            _("Un numéro SIRET compte 14 chiffres (exemple : 732 829 320 00074)."), code="siret"
        )
    la_poste = siret.startswith(LA_POSTE_SIREN) and sum(int(d) for d in siret) % 5 == 0
    if not (luhn_valid(siret) or la_poste):
        raise ValidationError(
            _("Ce numéro SIRET n'existe pas : vérifiez chacun de ses chiffres."),
            code="siret_checksum",
        )
    return siret


def clean_rna(value: str) -> str:
    rna = compact(value)
    if not RNA.match(rna):
        raise ValidationError(
            _("Un numéro RNA commence par W suivi de 9 chiffres (exemple : W751234567)."),
            code="rna",
        )
    return rna


def clean_iban(value: str) -> str:
    iban = compact(value)
    if not re.match(r"^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$", iban):
        raise ValidationError(
            _("Un IBAN commence par le code du pays et compte de 15 à 34 caractères."),
            code="iban",
        )
    rearranged = iban[4:] + iban[:4]
    number = "".join(str(int(char, 36)) for char in rearranged)
    if int(number) % 97 != 1:
        raise ValidationError(
            _("Cet IBAN n'est pas valide : vérifiez chacun de ses caractères."),
            code="iban_checksum",
        )
    return iban


def clean_bic(value: str) -> str:
    bic = compact(value)
    if not BIC.match(bic):
        raise ValidationError(
            _("Un BIC compte 8 ou 11 lettres et chiffres (exemple : BNPAFRPP)."), code="bic"
        )
    return bic


def clean_plate(value: str, *, accept_old: bool = False) -> str:
    """« AB-123-CD » (SIV); with ``accept_old``, also « 1234 AB 56 » (FNI, before 2009)."""
    text = " ".join(value.upper().replace("-", " ").split())
    siv = SIV.match(text.replace(" ", "-")) or SIV.match(text.replace(" ", ""))
    if siv:
        return "-".join(siv.groups())
    old = FNI.match(text)
    if old and accept_old:
        return " ".join(old.groups())
    if old:
        raise ValidationError(
            _(
                "Seules les immatriculations au format AB-123-CD sont acceptées ici : "
                "contactez le service pour un véhicule immatriculé avant 2009."
            ),
            code="plate_old",
        )
    example = _("AB-123-CD ou 1234 AB 56") if accept_old else _("AB-123-CD")
    raise ValidationError(
        _("Écrivez l'immatriculation comme sur la carte grise (exemple : %(example)s).")
        % {"example": example},
        code="plate",
    )


def clean_postal_code(value: str) -> str:
    code = compact(value)
    if not POSTAL_CODE.match(code):
        raise ValidationError(_("Un code postal compte 5 chiffres."), code="postal_code")
    return code
