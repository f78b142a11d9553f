"""Height and weight in US customary units for clinics that read them so (stored metric).

The factors are definitions, not measurements: the international inch is exactly 2.54 cm and
the international avoirdupois pound exactly 0.45359237 kg (US NIST Handbook 44, Appendix C).
Heights and weights are stored to 0.1 cm and 0.1 kg; a value is shown in inches or pounds with
the fewest decimals that convert back to the same stored value, so what a form shows, saved
unchanged, stores the same number; a height in words is said to the nearest inch.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

CENTIMETERS_PER_INCH = Decimal("2.54")
KILOGRAMS_PER_POUND = Decimal("0.45359237")
INCHES_PER_FOOT = 12
STORED_STEP = Decimal("0.1")  # patients.Patient.height_cm / weight_kg: decimal_places=1


def _stored(value: Decimal) -> Decimal:
    return value.quantize(STORED_STEP, rounding=ROUND_HALF_UP)


def centimeters_from_inches(inches: Decimal) -> Decimal:
    """68 in -> 172.7 cm (to the stored 0.1 cm)."""
    return _stored(inches * CENTIMETERS_PER_INCH)


def kilograms_from_pounds(pounds: Decimal) -> Decimal:
    """165 lb -> 74.8 kg (to the stored 0.1 kg)."""
    return _stored(pounds * KILOGRAMS_PER_POUND)


def _shortest(stored: Decimal, factor: Decimal) -> Decimal:
    """The stored metric value in the other unit, with the fewest decimals (0, 1 or 2) that
    convert back to the same stored value."""
    exact = stored / factor
    for places in (Decimal("1"), Decimal("0.1"), Decimal("0.01")):
        shown = exact.quantize(places, rounding=ROUND_HALF_UP)
        if _stored(shown * factor) == stored:
            return shown
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def inches_from_centimeters(centimeters: Decimal) -> Decimal:
    """172.7 cm -> 68 in."""
    return _shortest(_stored(centimeters), CENTIMETERS_PER_INCH)


def pounds_from_kilograms(kilograms: Decimal) -> Decimal:
    """74.8 kg -> 165 lb."""
    return _shortest(_stored(kilograms), KILOGRAMS_PER_POUND)


def plain(number: Decimal) -> str:
    """A number without trailing zeros or exponent: 68, 68.5."""
    text = f"{number:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def height_words(centimeters: Decimal, *, us_customary: bool) -> str:
    """ "5 ft 8 in" (US customary, to the nearest inch as a height is said) or "172.7 cm"."""
    if not us_customary:
        return f"{plain(_stored(centimeters))} cm"
    inches = inches_from_centimeters(centimeters).quantize(Decimal("1"), rounding=ROUND_HALF_UP)
    feet, rest = divmod(inches, INCHES_PER_FOOT)
    return f"{int(feet)} ft {plain(rest)} in" if feet else f"{plain(rest)} in"


def weight_words(kilograms: Decimal, *, us_customary: bool) -> str:
    """ "165 lb" (US customary) or "74.8 kg"."""
    if not us_customary:
        return f"{plain(_stored(kilograms))} kg"
    return f"{plain(pounds_from_kilograms(kilograms))} lb"
