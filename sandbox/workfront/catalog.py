"""The Workfront organisation's fixed configuration: the catalogs the records draw from.

Statuses and codes of the documented API, the word lists of names and descriptions,
the ids of the reference objects (groups, teams, roles, companies ...) and the custom
form fields per object code (:data:`CUSTOM_FIELDS`). None of it depends on the seed,
so a committed field-mapping dictionary can mirror it. How records draw from these
catalogs is in :mod:`sandbox.workfront.entities`.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import product

from sandbox.ids import workfront_id
from sandbox.timeline import SLOT_MS

#: Domain of the addresses users move to with an ``email_change``.
NEW_DOMAIN = "contoso-group.example"
#: Object code of journal entries and the id code of the ones made here.
JOURNAL_OBJ_CODE = "JRNLE"
JOURNAL_CODE = 15

PROJECT_STATUSES = ("CUR", "ONH", "PLN", "CPL", "DED", "REQ", "APR", "REJ", "IDA")
TASK_STATUSES = ("NEW", "INP", "CPL", "CPA", "CPI")
PROGRESS_STATUSES = ("ON", "LT", "BH", "RK")
#: Assignment status: the assignee's own progress ("Done with my part" sets CPL).
ASSIGNMENT_STATUSES = ("NEW", "INP", "CPL")
HOUR_STATUSES = ("SUB", "APR")
#: Labels that the ``retyped`` drift emits instead of the integer project priority.
PRIORITY_LABELS = ("Low", "Normal", "High", "Urgent", "Critical")
CURRENCIES = ("USD", "EUR", "GBP")
#: Task cost types seen in real records: role hourly cost, no cost.
COST_TYPES = ("RHC", "NOC")
REVENUE_TYPES = ("RHR", "NOB")
PROJECT_KINDS = (
    "Brand Refresh",
    "Product Launch",
    "Seasonal Campaign",
    "Website Update",
    "Trade Show",
    "Video Series",
    "Email Program",
    "Retail Display",
    "Training Rollout",
    "Customer Care Playbook",
    "Partner Co-marketing",
    "Social Sprint",
)
TASK_NAMES = (
    "Kickoff meeting",
    "Creative brief",
    "Copywriting",
    "Design concepts",
    "Revisions",
    "Legal review",
    "Brand review",
    "Final approval",
    "Asset delivery",
    "Translation",
    "QA check",
    "Media buy",
    "Landing page build",
    "Launch",
    "Performance report",
    "Retrospective",
    "Layout and upload pdf",
    "Script call-center talking points",
    "Photo shoot",
    "Stakeholder sign-off",
)
HOUR_DESCRIPTIONS = (
    "Client call",
    "Internal review",
    "Design work",
    "Copy edits",
    "Status meeting",
    "Rework after feedback",
    "Asset upload",
    "Travel",
    None,
    None,
)

#: Custom status letters of the sandbox organisation (``CUR:A``, ``INP:B`` ...).
CUSTOM_STATUS_LETTERS = ("A", "B")
#: Share, out of 16, of the records in a base status that carry a custom one instead.
CUSTOM_STATUS_SIXTEENTHS = 3


def custom_status(base: str, record_id: str) -> str:
    """``base`` or, for some records (chosen by id, no random draw), ``base:<letter>``."""
    digit = int(record_id[-3], 16)  # a digit of the id's noise part
    if digit >= CUSTOM_STATUS_SIXTEENTHS:
        return base
    return f"{base}:{CUSTOM_STATUS_LETTERS[digit % len(CUSTOM_STATUS_LETTERS)]}"


# --------------------------------------------------------------- reference ids
_REF_SLOT = 23_662_080  # 2014-12-28T00:00Z, before any generated record


def reference_id(kind: int, number: int) -> str:
    """Id of a reference object (group, role, team, ...) outside the generated entities."""
    slot = _REF_SLOT + kind
    return workfront_id(slot * SLOT_MS, slot, number, 0, 0)


GROUP_IDS = tuple(reference_id(1, n) for n in range(12))
TEAM_IDS = tuple(reference_id(2, n) for n in range(24))
ROLE_IDS = tuple(reference_id(3, n) for n in range(25))
#: Hourly cost of each role (``actualCost`` of hours and tasks).
ROLE_RATES = tuple(45.0 + 5.0 * ((n * 7) % 19) for n in range(len(ROLE_IDS)))
COMPANY_IDS = tuple(reference_id(4, n) for n in range(4))
ACCESS_LEVEL_IDS = tuple(reference_id(5, n) for n in range(6))
HOUR_TYPE_IDS = tuple(reference_id(6, n) for n in range(8))
PORTFOLIO_IDS = tuple(reference_id(7, n) for n in range(15))
TEMPLATE_IDS = tuple(reference_id(8, n) for n in range(30))
CATEGORY_IDS = {code: reference_id(9, n) for n, code in enumerate(("PROJ", "TASK", "USER", "HOUR"))}
_timesheets: dict[tuple[int, int], str] = {}


def timesheet_id(user_seq: int, week: int) -> str:
    """Id of the weekly timesheet of one user (hours of that user and week share it)."""
    key = (user_seq, week)
    found = _timesheets.get(key)
    if found is None:
        slot = (week * 7 - 3) * 1440  # the Monday that starts the week
        # code 0 is no entity's; variant 1 keeps these apart from the reference ids
        found = workfront_id(slot * SLOT_MS, slot, user_seq & 0xFFFFFF, 1, 0)
        if len(_timesheets) > 100_000:
            _timesheets.clear()
        _timesheets[key] = found
    return found


# -------------------------------------------------------------- custom fields
@dataclass(frozen=True)
class CustomField:
    """One custom form field (``DE:<label>`` in ``parameterValues``).

    The catalog is static (it does not depend on the seed) so that a committed
    field-mapping dictionary can mirror it.

    Attributes:
        label: Field label as the API shows it after ``DE:``.
        type: ``text``, ``number``, ``date`` or ``select``.
        options: Choices of a ``select`` field.
        kind: How values are drawn: ``select``, ``int``, ``money``, ``date``, ``code``,
            ``person``, ``sentence``, ``word`` or ``campaign`` (a Bynder campaign key).
        low: Lower bound (numbers) or day offset from creation (dates).
        high: Upper bound (numbers) or day offset from creation (dates).
        fill: Share of records that set the field.
        prefix: Prefix of ``code`` values (``MKT`` gives ``MKT-204``).

    """

    label: str
    type: str
    options: tuple[str, ...] = ()
    kind: str = ""
    low: int = 0
    high: int = 0
    fill: float = 0.45
    prefix: str = ""

    @property
    def key(self) -> str:
        """The ``parameterValues`` key: ``DE:<label>``."""
        return f"DE:{self.label}"


def _select(label: str, options: tuple[str, ...], fill: float = 0.45) -> CustomField:
    return CustomField(label, "select", options, "select", fill=fill)


def _number(label: str, low: int, high: int, fill: float = 0.45, kind: str = "int") -> CustomField:
    return CustomField(label, "number", (), kind, low, high, fill)


def _date(label: str, low: int, high: int, fill: float = 0.45) -> CustomField:
    return CustomField(label, "date", (), "date", low, high, fill)


def _text(label: str, kind: str, fill: float = 0.45, prefix: str = "") -> CustomField:
    return CustomField(label, "text", (), kind, fill=fill, prefix=prefix)


YES_NO = ("Yes", "No")
BUSINESS_UNITS = ("Marketing", "Customer Care", "Sales", "Product", "Finance", "HR", "IT")
REGIONS = ("NA", "EMEA", "APAC", "LATAM")
BRANDS = ("Contoso", "Contoso Mobile", "Fabrikam", "Northwind", "Tailspin", "Litware")
CHANNELS = ("Email", "Social", "Web", "Print", "Video", "Events", "Call Center", "Retail")
_GENERATED_PREFIXES = (
    "Audience",
    "Creative",
    "Media",
    "Vendor",
    "Compliance",
    "Localization",
    "Accessibility",
    "Sustainability",
    "Forecast",
    "Procurement",
    "Stakeholder",
    "Quality",
    "Risk",
    "Rollout",
    "Content",
    "Partner",
)
_GENERATED_SUFFIXES = ("Score", "Code", "Date", "Status", "Notes", "Count", "Owner", "Tier")
_STATUS_OPTIONS = ("Not Started", "In Review", "Approved", "Blocked")
_TIER_OPTIONS = ("Gold", "Silver", "Bronze")


def _generated_fields(start: int, count: int, taken: set[str]) -> tuple[CustomField, ...]:
    """``count`` filler fields ("Vendor Score", "Media Code", ...) from fixed word lists."""
    pairs = list(product(_GENERATED_PREFIXES, _GENERATED_SUFFIXES))
    out: list[CustomField] = []
    k = start
    while len(out) < count:
        prefix, suffix = pairs[k % len(pairs)]
        k += 7  # walk the grid so that consecutive fields vary in both words
        label = f"{prefix} {suffix}"
        if label in taken:
            continue
        taken.add(label)
        fill = 0.30 + 0.05 * (len(out) % 5)
        if suffix == "Score":
            out.append(_number(label, 0, 100, fill))
        elif suffix == "Count":
            out.append(_number(label, 0, 50, fill))
        elif suffix == "Date":
            out.append(_date(label, -30, 90, fill))
        elif suffix == "Status":
            out.append(_select(label, _STATUS_OPTIONS, fill))
        elif suffix == "Tier":
            out.append(_select(label, _TIER_OPTIONS, fill))
        elif suffix == "Code":
            out.append(_text(label, "code", fill, prefix[:3].upper()))
        elif suffix == "Notes":
            out.append(_text(label, "sentence", fill))
        else:
            out.append(_text(label, "person", fill))
    return tuple(out)


def _catalog(fields: tuple[CustomField, ...], start: int, total: int) -> tuple[CustomField, ...]:
    taken = {f.label for f in fields}
    return fields + _generated_fields(start, total - len(fields), taken)


_PROJECT_FIELDS = (
    _text("Cost Center", "code", 0.85, "MKT"),
    _select("Business Unit", BUSINESS_UNITS, 0.8),
    _select("Region", REGIONS, 0.7),
    _text("Campaign Code", "campaign", 0.5),
    _select("Brand", BRANDS, 0.6),
    _text("Requested By", "person", 0.6),
    _date("Intake Date", -30, 0, 0.6),
    _text("Budget Owner", "person", 0.5),
    _select("Priority Tier", ("Tier 1", "Tier 2", "Tier 3"), 0.55),
    _select("Fiscal Year", ("FY24", "FY25", "FY26", "FY27"), 0.5),
    _select("Channel", CHANNELS, 0.5),
    _select("Target Audience", ("Consumers", "SMB", "Enterprise", "Partners", "Employees"), 0.4),
    _number("Estimated Revenue", 5_000, 2_000_000, 0.35, "money"),
    _date("Launch Date", 10, 150, 0.45),
    _select("Agency", ("In-house", "Ogilvy", "Publicis", "WPP", "Havas"), 0.35),
    _select("Legal Review Required", YES_NO, 0.4),
    _select("Project Type", ("Campaign", "Evergreen", "Operational", "Event"), 0.6),
    _select("Strategic Initiative", ("Growth", "Retention", "Efficiency", "Brand"), 0.3),
)
_TASK_FIELDS = (
    _select(
        "Deliverable Type",
        ("Banner", "Video", "Email", "Landing Page", "Print Ad", "Script", "Social Post"),
        0.6,
    ),
    _number("Review Round", 1, 5, 0.5),
    _number("Asset Count", 1, 40, 0.4),
    _date("Due to Client", 3, 45, 0.35),
    _select("Channel", CHANNELS, 0.45),
    _select("Approval Stage", ("Draft", "Internal Review", "Client Review", "Final"), 0.5),
    _text("Creative Lead", "person", 0.4),
    _number("Estimated Hours", 1, 80, 0.45),
    _select("Rework Reason", ("Brand", "Legal", "Client Feedback", "Typo", "Scope"), 0.3),
    _select("Language", ("en-US", "en-GB", "es-US", "fr-CA", "de-DE"), 0.35),
)
_USER_FIELDS = (
    _select("Department", BUSINESS_UNITS, 0.8),
    _select("Location", ("Boston", "Chicago", "Denver", "Austin", "London", "Berlin"), 0.7),
    _select("Employment Type", ("Full-time", "Part-time", "Contractor"), 0.6),
    _text("Cost Center", "code", 0.6, "CC"),
    _date("Start Date", -2000, 0, 0.5),
    _select("Skill Level", ("Junior", "Mid", "Senior", "Principal"), 0.5),
    _number("Default Billing Rate", 40, 220, 0.4),
    _text("Badge Number", "code", 0.45, "B"),
    _select("Contractor Agency", ("Robert Half", "Aquent", "Creative Circle"), 0.15),
    _select("Languages", ("English", "Spanish", "French", "German"), 0.35),
    _select("Certification", ("PMP", "Scrum Master", "Workfront Core", "None"), 0.3),
    _select("Shift", ("Day", "Evening", "Night"), 0.3),
)
_HOUR_FIELDS = (
    _select("Billable", YES_NO, 0.6),
    _select("Activity Code", ("DES", "COPY", "PM", "MTG", "QA", "TRV"), 0.55),
    _select("Work Location", ("Office", "Remote", "Client Site"), 0.45),
    _select("Overtime", YES_NO, 0.3),
    _text("Client Reference", "code", 0.3, "PO"),
    _number("Mileage", 0, 250, 0.1),
)

#: Custom form fields by object code (static; the field-mapping dictionary mirrors it).
CUSTOM_FIELDS: dict[str, tuple[CustomField, ...]] = {
    "USER": _catalog(_USER_FIELDS, 3, 12),
    "PROJ": _catalog(_PROJECT_FIELDS, 0, 42),
    "TASK": _catalog(_TASK_FIELDS, 5, 32),
    "ASSGN": (),
    "HOUR": _HOUR_FIELDS,
}
