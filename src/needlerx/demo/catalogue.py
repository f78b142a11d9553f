"""The fixed parts of the demo clinic network: clinics, staff logins and name pools.

Synthetic data only: no real person is described here.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

NETWORK_NAME = "Harbor Physio Network (demo)"
# Demo visits start from this local hour, a few hours apart, in each clinic's own time zone.
CLINIC_DAY_STARTS = dt.time(9)
DEMO_PASSWORD = "needlerx-demo"  # noqa: S105 - published demo login, never a real account


@dataclass(frozen=True)
class DemoClinic:
    slug: str
    name: str
    country: str
    region: str
    time_zone: str
    address_line_1: str
    city: str
    postal_code: str
    phone: str


DEMO_CLINICS = (
    DemoClinic(
        "denver",
        "Harbor Physio Denver",
        "US",
        "CO",
        "America/Denver",
        "1420 Larimer Street, Suite 200",
        "Denver",
        "80202",
        "(303) 555-0142",
    ),
    DemoClinic(
        "austin",
        "Harbor Physio Austin",
        "US",
        "TX",
        "America/Chicago",
        "611 West 6th Street",
        "Austin",
        "78701",
        "(512) 555-0187",
    ),
    DemoClinic(
        "sacramento",
        "Harbor Physio Sacramento",
        "US",
        "CA",
        "America/Los_Angeles",
        "915 J Street, Floor 3",
        "Sacramento",
        "95814",
        "(916) 555-0123",
    ),
)

# (username prefix, role, first name, last name) — one of each in every clinic. The names are
# Denver's; every clinic has its own people (DEMO_STAFF_NAMES), the usernames stay the same.
DEMO_STAFF = (
    ("clinician", "clinician", "Dana", "Reyes"),
    ("frontdesk", "front_desk", "Sam", "Okafor"),
    ("admin", "clinic_admin", "Morgan", "Lee"),
)
# Each clinic's staff by username prefix: (first name, last name), no name in two clinics.
DEMO_STAFF_NAMES: dict[str, dict[str, tuple[str, str]]] = {
    "denver": {
        "clinician": ("Dana", "Reyes"),
        "frontdesk": ("Sam", "Okafor"),
        "admin": ("Morgan", "Lee"),
    },
    "austin": {
        "clinician": ("Marisol", "Treviño"),
        "frontdesk": ("Jordan", "Whitfield"),
        "admin": ("Priscilla", "Nakamura"),
    },
    "sacramento": {
        "clinician": ("Theo", "Lindqvist"),
        "frontdesk": ("Avery", "Castellanos"),
        "admin": ("Renee", "Obi"),
    },
}


def demo_staff_name(clinic: DemoClinic, prefix: str) -> tuple[str, str]:
    """The first and last name of a clinic's demo login ``prefix.slug``."""
    return DEMO_STAFF_NAMES[clinic.slug][prefix]


# Given names by the sex recorded for the patient (patients.models.Sex): a demo patient recorded
# as female gets a name from FEMALE_GIVEN_NAMES, and so on; a patient whose sex is not recorded
# (or intersex) gets one of the names used for anyone.
FEMALE_GIVEN_NAMES = (
    "Amira",
    "Beatriz",
    "Carla",
    "Elena",
    "Esther",
    "Farah",
    "Grace",
    "Hana",
    "Ines",
    "Julia",
    "Laura",
    "Maya",
    "Nadia",
    "Olivia",
    "Priya",
    "Rosa",
    "Sofia",
    "Uma",
    "Wen",
    "Ximena",
    "Zoe",
)
MALE_GIVEN_NAMES = (
    "Aiden",
    "Ben",
    "Caleb",
    "Daniel",
    "Dmitri",
    "Felix",
    "George",
    "Jamal",
    "Liam",
    "Mateo",
    "Noah",
    "Omar",
    "Tariq",
    "Victor",
    "Yusuf",
    "Chen",
    "Hiroshi",
    "Marcus",
    "Rafael",
    "Samuel",
    "Tomas",
)
NEUTRAL_GIVEN_NAMES = ("Alex", "Kai", "Quinn", "Robin", "Jesse", "Sasha")
GIVEN_NAMES_BY_SEX = {
    "female": FEMALE_GIVEN_NAMES,
    "male": MALE_GIVEN_NAMES,
    "intersex": NEUTRAL_GIVEN_NAMES,
    "unknown": NEUTRAL_GIVEN_NAMES,
}
GIVEN_NAMES = FEMALE_GIVEN_NAMES + MALE_GIVEN_NAMES + NEUTRAL_GIVEN_NAMES
FAMILY_NAMES = (
    "Adams",
    "Baker",
    "Castro",
    "Dubois",
    "Evans",
    "Fischer",
    "Garcia",
    "Haddad",
    "Ibrahim",
    "Jensen",
    "Kowalski",
    "Lopez",
    "Martin",
    "Nguyen",
    "Okoro",
    "Patel",
    "Quinn",
    "Rossi",
    "Schmidt",
    "Tanaka",
    "Usman",
    "Vargas",
    "Walker",
    "Xu",
    "Yilmaz",
    "Zhang",
    "Bennett",
    "Cohen",
    "Diaz",
    "Ellis",
    "Foster",
    "Gupta",
    "Hughes",
    "Ito",
    "Johansson",
    "Khan",
)
REFERRAL_SOURCES = (
    "Self-referral",
    "Primary care physician",
    "Orthopedic surgeon",
    "Sports medicine",
    "Chiropractor",
    "Website",
)


def demo_username(prefix: str, clinic: DemoClinic) -> str:
    return f"{prefix}.{clinic.slug}"
