"""French identifiers a form asks for (procedures/catalogue/identifiers.py)."""

import pytest
from django.core.exceptions import ValidationError

from procedures.catalogue import identifiers


@pytest.mark.parametrize(
    ("given", "kept"),
    [
        ("732 829 320 00074", "73282932000074"),
        ("73282932000074", "73282932000074"),
        ("356 000 000 00048", "35600000000048"),  # La Poste's head office: Luhn
        ("356 000 000 00015", "35600000000015"),  # Another establishment: the sum rule
    ],
)
def test_a_valid_siret_is_kept_without_spaces(given, kept):
    assert identifiers.clean_siret(given) == kept


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ("7328293200007", "14 chiffres"),
        ("73282932000075", "n'existe pas"),
        ("7328293200007A", "14 chiffres"),
    ],
)
def test_a_wrong_siret_is_refused_in_french(given, message):
    with pytest.raises(ValidationError, match=message):
        identifiers.clean_siret(given)


def test_an_rna_is_w_and_nine_digits():
    assert identifiers.clean_rna(" w751234567 ") == "W751234567"
    with pytest.raises(ValidationError, match="W suivi de 9 chiffres"):
        identifiers.clean_rna("W75123456")


def test_an_iban_is_checked_by_mod_97():
    assert identifiers.clean_iban("fr76 3000 6000 0112 3456 7890 189") == (
        "FR7630006000011234567890189"
    )
    with pytest.raises(ValidationError, match="n'est pas valide"):
        identifiers.clean_iban("FR7630006000011234567890188")
    with pytest.raises(ValidationError, match="code du pays"):
        identifiers.clean_iban("123")


def test_a_bic_has_8_or_11_characters():
    assert identifiers.clean_bic("bnpa frpp") == "BNPAFRPP"
    assert identifiers.clean_bic("BNPAFRPPXXX") == "BNPAFRPPXXX"
    with pytest.raises(ValidationError, match="8 ou 11"):
        identifiers.clean_bic("BNPAFRP")


@pytest.mark.parametrize("given", ["AB-123-CD", "ab123cd", "AB 123 CD"])
def test_a_siv_plate_is_written_with_dashes(given):
    assert identifiers.clean_plate(given) == "AB-123-CD"


def test_an_old_plate_is_refused_unless_the_field_accepts_it():
    with pytest.raises(ValidationError, match="avant 2009"):
        identifiers.clean_plate("1234 AB 56")
    assert identifiers.clean_plate("1234 ab 56", accept_old=True) == "1234 AB 56"
    assert identifiers.clean_plate("123 ABC 2A", accept_old=True) == "123 ABC 2A"


@pytest.mark.parametrize("given", ["AI-123-CD", "AB-12-CD", "ABC-123-D", "rue"])
def test_what_is_no_plate_is_refused(given):
    with pytest.raises(ValidationError, match="carte grise"):
        identifiers.clean_plate(given)


def test_a_postal_code_has_five_digits():
    assert identifiers.clean_postal_code("75 001") == "75001"
    with pytest.raises(ValidationError, match="5 chiffres"):
        identifiers.clean_postal_code("7500")
