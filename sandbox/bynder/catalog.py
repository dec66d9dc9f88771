"""The Bynder portal's fixed configuration: the catalogs the records draw from.

The metaproperty catalog (:data:`METAPROPERTIES`, served by
``GET /api/v4/metaproperties/``), the portal's markets, brands, users and usage
integrations, and the word lists and sizes of media. None of it depends on the seed,
so a committed field-mapping dictionary can mirror it. How records draw from these
catalogs is in :mod:`sandbox.bynder.entities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sandbox.formats import DAY_MS
from sandbox.ids import bynder_guid, uuid_like

SEASONS = ("SPR", "SUM", "AUT", "WIN", "BTS", "HOL")
MARKETS = ("EMEA", "NA", "APAC", "LATAM")
ACCOUNT_ID = "3e2a9d4c-7b1f-4c55-9a0e-5d1b2c3a4f60"
PORTAL_URL = "https://portal.getbynder.example"
#: The recently-removed list covers only this many days [bynder-java-sdk DeletedMediaQuery].
REMOVED_WINDOW_MS = 30 * DAY_MS

# Negative "slots" of the fixed (seed-independent) GUIDs of the portal configuration.
# Slots -7 and -8 are used by Campaigns (workflow users and presets).
_METAPROPERTY_SLOT = -999
_OPTION_SLOT_BASE = -1000  # option ids: slot -(1000 + metaproperty index)
_BRAND_SLOT = -20
_SUB_BRAND_SLOT = -21
_INTEGRATION_SLOT = -22
USER_SLOT = -23


# ------------------------------------------------------------ metaproperties
@dataclass(frozen=True)
class Metaproperty:
    """One metaproperty of the portal (a custom asset field).

    Attributes:
        name: API name; assets carry it as ``property_<name>``.
        label: Display label (``labels.en_US``).
        type: ``select``, ``text`` or ``date``.
        is_multiselect: A select that accepts several options.
        is_required: Uploads must set it.
        is_filterable: Usable as a search filter.
        zindex: Display position (1-based, the catalog order).
        options: Option names of a select (empty for text and date).

    """

    name: str
    label: str
    type: str
    is_multiselect: bool = False
    is_required: bool = False
    is_filterable: bool = False
    zindex: int = 0
    options: tuple[str, ...] = ()


def _select(
    name: str, options: tuple[str, ...], multi: bool = False, required: bool = False
) -> Metaproperty:
    label = name.replace("_", " ")
    return Metaproperty(name, label, "select", multi, required, True, 0, options)


def _text(name: str, label: str, filterable: bool = False) -> Metaproperty:
    return Metaproperty(name, label, "text", False, False, filterable)


def _date(name: str, label: str) -> Metaproperty:
    return Metaproperty(name, label, "date", False, False, False)


#: Hand-written metaproperties, in catalog order (the first five are set on most assets).
_HAND_WRITTEN: tuple[Metaproperty, ...] = (
    _select("Market", MARKETS, multi=True, required=True),
    _select(
        "Channel", ("Web", "Social", "Email", "Print", "Retail", "Broadcast", "Events"), multi=True
    ),
    _select(
        "AssetStatus", ("Draft", "In_Review", "Approved", "Published", "Retired"), required=True
    ),
    _text("WorkfrontProjectID", "Workfront Project ID", filterable=True),
    _text("Campaign", "Campaign", filterable=True),
    _select("Language", ("EN", "DE", "FR", "ES", "IT", "JA", "PT", "ZH")),
    _select(
        "Usage_Rights",
        ("Unrestricted", "Internal_Only", "Licensed", "Editorial_Only", "Restricted"),
    ),
    _date("Expiry_Date", "Expiry Date"),
    _text("Photographer", "Photographer"),
    _text("Accession_Number", "Accession Number", filterable=True),
    _text("Agency", "Agency"),
    _select(
        "Department",
        ("Marketing", "Sales", "Product", "HR", "Legal", "Communications", "Customer_Service"),
    ),
    _select(
        "Business_Unit",
        ("Consumer", "Enterprise", "Public_Sector", "Healthcare", "Financial_Services"),
    ),
    _select(
        "Product_Line", ("Home", "Mobile", "Cloud", "Broadband", "TV", "Accessories"), multi=True
    ),
    _select("Season", ("Spring", "Summer", "Autumn", "Winter", "Back_To_School", "Holiday")),
    _select(
        "Asset_Subtype",
        ("Hero", "Banner", "Social_Tile", "Product_Shot", "Logo", "Brochure", "Spot", "Podcast"),
    ),
    _select("Color_Space", ("RGB", "CMYK", "Grayscale")),
    _date("Release_Date", "Release Date"),
    _select("Model_Release", ("Yes", "No", "Not_Required")),
    _text("Location", "Location"),
    _text("Creative_Brief_ID", "Creative Brief ID", filterable=True),
)

#: Two fixed word lists; their product names the generated metaproperties.
METAPROPERTY_DOMAINS = (
    "Brand",
    "Legal",
    "Creative",
    "Digital",
    "Retail",
    "Print",
    "Social",
    "Product",
    "Regional",
    "Event",
    "Partner",
    "Finance",
    "Compliance",
    "Media",
    "Archive",
)
METAPROPERTY_ATTRIBUTES = (
    "Owner",
    "Tier",
    "Status",
    "Code",
    "Region",
    "Category",
    "Notes",
    "Review_Date",
    "Priority",
    "Audience",
)
#: Options of the select attributes (Owner, Code and Notes are text; Review_Date a date).
_ATTRIBUTE_OPTIONS: dict[str, tuple[str, ...]] = {
    "Tier": ("Platinum", "Gold", "Silver", "Bronze"),
    "Status": ("Draft", "In_Review", "Approved", "Rejected", "Expired"),
    "Region": ("EMEA", "NA", "APAC", "LATAM", "Global"),
    "Category": ("Lifestyle", "Product", "Corporate", "Event", "Seasonal", "Editorial"),
    "Priority": ("Low", "Medium", "High", "Critical"),
    "Audience": ("B2B", "B2C", "Internal", "Partners", "Press", "Investors"),
}
_MULTI_ATTRIBUTES = ("Region", "Audience")


def _generated(position: int, domain: str, attribute: str) -> Metaproperty:
    """The metaproperty ``<domain>_<attribute>``; its type follows the attribute."""
    name = f"{domain}_{attribute}"
    label = name.replace("_", " ")
    if attribute == "Review_Date":
        return _date(name, label)
    if attribute in ("Owner", "Code", "Notes"):
        return _text(name, label, filterable=attribute == "Code")
    options = _ATTRIBUTE_OPTIONS[attribute]
    # Categories alternate between single and multi select by position.
    multi = attribute in _MULTI_ATTRIBUTES or (attribute == "Category" and position % 2 == 1)
    return Metaproperty(name, label, "select", multi, False, position % 3 != 2, 0, options)


def _catalog() -> tuple[Metaproperty, ...]:
    entries = list(_HAND_WRITTEN)
    for d, domain in enumerate(METAPROPERTY_DOMAINS):
        entries.extend(
            _generated(d * len(METAPROPERTY_ATTRIBUTES) + a, domain, attribute)
            for a, attribute in enumerate(METAPROPERTY_ATTRIBUTES)
        )
    return tuple(
        Metaproperty(
            m.name,
            m.label,
            m.type,
            m.is_multiselect,
            m.is_required,
            m.is_filterable,
            position + 1,
            m.options,
        )
        for position, m in enumerate(entries)
    )


#: The portal's metaproperties (fixed; independent of the seed), in display order.
METAPROPERTIES: tuple[Metaproperty, ...] = _catalog()
METAPROPERTY_INDEX: dict[str, int] = {m.name: i for i, m in enumerate(METAPROPERTIES)}
#: Name the ``renamed`` schema-drift scenario gives the ``Market`` metaproperty.
RENAMED_MARKET = "Sales_Market"
#: Metaproperties that mainly drive filtering in the portal UI.
MAIN_FILTERS = frozenset({"Market", "Channel", "AssetStatus"})


def metaproperty_id(index: int) -> str:
    """Fixed GUID of the metaproperty at catalog position ``index``."""
    return bynder_guid(_METAPROPERTY_SLOT, index, 0, 0)


def option_id(metaproperty_index: int, option_index: int) -> str:
    """Fixed GUID of option ``option_index`` of metaproperty ``metaproperty_index``."""
    return bynder_guid(-(-_OPTION_SLOT_BASE + metaproperty_index), option_index, 0, 0)


#: Option GUIDs per metaproperty, aligned with ``METAPROPERTIES[i].options``.
OPTION_IDS: tuple[tuple[str, ...], ...] = tuple(
    tuple(option_id(i, k) for k in range(len(m.options))) for i, m in enumerate(METAPROPERTIES)
)


#: Link metaproperties a strict portal configures as single selects (Bynder sends a
#: select's value as an array of option names, ``["WF-..."]``); their options are the
#: projects and campaigns themselves, not listed in the catalog.
STRICT_SELECTS = frozenset({"WorkfrontProjectID", "Campaign"})


def metaproperties_payload(renamed: bool, strict: bool = False) -> dict[str, dict[str, Any]]:
    """The ``GET /api/v4/metaproperties/`` body: an object keyed by metaproperty name.

    Args:
        renamed: Apply the ``renamed`` drift scenario: ``Market`` is called
            ``Sales_Market`` (its key and ``name``; id, label and options unchanged).
        strict: The link metaproperties are selects (:data:`STRICT_SELECTS`).

    """
    out: dict[str, dict[str, Any]] = {}
    for i, m in enumerate(METAPROPERTIES):
        name = RENAMED_MARKET if renamed and m.name == "Market" else m.name
        out[name] = {
            "id": metaproperty_id(i),
            "name": name,
            "label": m.label,
            "type": "select" if strict and m.name in STRICT_SELECTS else m.type,
            "isMultiSelect": m.is_multiselect,
            "isRequired": m.is_required,
            "isFilterable": m.is_filterable,
            "isMainfilter": m.name in MAIN_FILTERS,
            "isEditable": True,
            "zindex": m.zindex,
            "labels": {"en_US": m.label},
            "options": [
                {
                    "id": OPTION_IDS[i][k],
                    "name": option,
                    "label": option.replace("_", " "),
                    "zindex": str(k + 1),
                    "isSelectable": True,
                    "linkedOptionIds": [],
                    "options": [],
                }
                for k, option in enumerate(m.options)
            ],
        }
    return out


# ---------------------------------------------------------------------- media
SUBJECTS = {
    "image": ("hero", "banner", "product shot", "social tile", "lifestyle photo", "logo"),
    "document": ("brochure", "datasheet", "brand guidelines", "price list", "press kit"),
    "video": ("teaser", "explainer", "spot", "testimonial", "event recap"),
    "audio": ("podcast", "jingle", "radio spot", "voice-over"),
}
EXTENSIONS = {
    "image": ("jpg", "jpg", "png", "tif", "psd", "eps"),
    "document": ("pdf", "pdf", "docx", "pptx", "indd"),
    "video": ("mp4", "mp4", "mov"),
    "audio": ("mp3", "wav"),
}
BYTES_PER_PIXEL = {"jpg": 0.4, "png": 1.6, "tif": 3.0, "psd": 4.5, "eps": 1.2}
IMAGE_SIZES = (
    (3000, 2008),
    (1920, 1080),
    (1080, 1080),
    (2400, 3600),
    (4000, 3000),
    (1200, 628),
    (1080, 1920),
    (6000, 4000),
    (800, 800),
)
VIDEO_SIZES = ((1920, 1080), (3840, 2160), (1080, 1920), (1080, 1080), (1280, 720))
N_BRANDS = 4
BRAND_IDS = tuple(bynder_guid(_BRAND_SLOT, b, 0, 0) for b in range(N_BRANDS))
SUB_BRAND_IDS = tuple(bynder_guid(_SUB_BRAND_SLOT, s, 0, 0) for s in range(2 * N_BRANDS))
N_PORTAL_USERS = 60


# ---------------------------------------------------------------------- usage
#: Integrations that report asset usage: (id, description), with their shares.
INTEGRATIONS: tuple[tuple[str, str], ...] = tuple(
    (uuid_like(_INTEGRATION_SLOT, i, 0, 0), description)
    for i, description in enumerate(
        ("CMS", "Social Publisher", "Email Builder", "Print Portal", "Web Shop")
    )
)
INTEGRATION_CUMULATIVE = (0.35, 0.60, 0.80, 0.85, 1.0)
USAGE_NOTES = ("hero image", "thumbnail", "banner", "inline image", "header", "gallery")
