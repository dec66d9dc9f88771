"""Value pools drawn once from Faker with the world seed.

Records pick from these pools with their own seeded random draws, so generating a
record costs a few list look-ups rather than a Faker call.
"""

from __future__ import annotations

from dataclasses import dataclass

from faker import Faker

TEAMS = ("Billing", "Technical Support", "Sales", "Retention", "Onboarding", "Claims")
TIMEZONES = (
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "Europe/London",
    "Europe/Berlin",
)
LOCALES = ("en-US", "en-GB", "es-US", "fr-CA", "de-DE")
AREA_CODES = ("415", "212", "312", "617", "206", "512", "303", "404", "646", "718")
DISPOSITIONS = (
    "BILLING_RESOLVED",
    "TECH_RESOLVED",
    "ESCALATED",
    "CALLBACK_SCHEDULED",
    "SALE_COMPLETED",
    "INFO_PROVIDED",
    "NO_RESOLUTION",
)
WORKFRONT_OFFSETS = ("-0500", "-0600", "-0700", "-0800", "-0400", "+0100")


@dataclass(frozen=True)
class Pools:
    """Faker-made value lists shared by every record builder."""

    first_names: tuple[str, ...]
    last_names: tuple[str, ...]
    companies: tuple[str, ...]
    words: tuple[str, ...]
    catch_phrases: tuple[str, ...]
    job_titles: tuple[str, ...]
    domains: tuple[str, ...]
    sentences: tuple[str, ...]
    cities: tuple[str, ...]

    @classmethod
    def build(cls, seed: int) -> Pools:
        """Draw the pools deterministically from ``seed``."""
        fake = Faker("en_US")
        fake.seed_instance(seed)
        return cls(
            first_names=tuple(fake.first_name() for _ in range(600)),
            last_names=tuple(fake.last_name() for _ in range(800)),
            companies=tuple(fake.company() for _ in range(400)),
            words=tuple(dict.fromkeys(fake.word() for _ in range(3000))),
            catch_phrases=tuple(fake.catch_phrase() for _ in range(300)),
            job_titles=tuple(fake.job() for _ in range(200)),
            domains=tuple(fake.free_email_domain() for _ in range(20))
            + tuple(fake.domain_name() for _ in range(40)),
            sentences=tuple(fake.sentence(nb_words=8) for _ in range(500)),
            cities=tuple(fake.city() for _ in range(200)),
        )
