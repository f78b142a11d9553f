"""The fixed parts of the demo clinic network: clinics, staff logins and name pools.

Synthetic data only: no real person is described here.
"""

from __future__ import annotations

from dataclasses import dataclass

NETWORK_NAME = "Harbor Physio Network (demo)"
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

# (username prefix, role, first name, last name) — one of each in every clinic.
DEMO_STAFF = (
    ("clinician", "clinician", "Dana", "Reyes"),
    ("frontdesk", "front_desk", "Sam", "Okafor"),
    ("admin", "clinic_admin", "Morgan", "Lee"),
)

GIVEN_NAMES = (
    "Alex",
    "Amira",
    "Ben",
    "Carla",
    "Chen",
    "Daniel",
    "Elena",
    "Farah",
    "George",
    "Hana",
    "Ines",
    "Jamal",
    "Julia",
    "Kai",
    "Laura",
    "Liam",
    "Maya",
    "Mateo",
    "Nadia",
    "Noah",
    "Olivia",
    "Omar",
    "Priya",
    "Quinn",
    "Rosa",
    "Sofia",
    "Tariq",
    "Uma",
    "Victor",
    "Wen",
    "Ximena",
    "Yusuf",
    "Zoe",
    "Aiden",
    "Beatriz",
    "Caleb",
    "Dmitri",
    "Esther",
    "Felix",
    "Grace",
)
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
