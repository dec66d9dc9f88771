"""Bynder records: workflow campaigns, media (assets), asset usage, metaproperties.

Field lists follow ``docs/reference/source_apis.md`` section 1. Workflow objects use
``ID``/``...ID`` casing where assets use ``id``/``brandId``, as the real API does.

The portal's fixed configuration (the metaproperty catalog, markets, brands, word
lists) is in :mod:`sandbox.bynder.catalog`; this module draws records from it. Assets
carry a sparse subset of the metaproperties as ``property_<Name>`` keys, among them
``property_WorkfrontProjectID`` (the Workfront project that produced the asset) and
``property_Campaign`` (a workflow campaign key, the code WebPhone calls carry).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple

import numpy as np

from sandbox import formats
from sandbox.bynder.catalog import (
    ACCOUNT_ID,
    BRAND_IDS,
    BYTES_PER_PIXEL,
    EXTENSIONS,
    IMAGE_SIZES,
    INTEGRATION_CUMULATIVE,
    INTEGRATIONS,
    MARKETS,
    METAPROPERTIES,
    METAPROPERTY_INDEX,
    N_BRANDS,
    N_PORTAL_USERS,
    OPTION_IDS,
    PORTAL_URL,
    REMOVED_WINDOW_MS,
    RENAMED_MARKET,
    SEASONS,
    SUB_BRAND_IDS,
    SUBJECTS,
    USAGE_NOTES,
    USER_SLOT,
    VIDEO_SIZES,
    Metaproperty,
)
from sandbox.entity import Entity
from sandbox.formats import DAY_MS
from sandbox.ids import (
    bynder_guid,
    parse_bynder_guid,
    parse_uuid_like,
    uuid_like,
    workfront_id,
)
from sandbox.pools import Pools
from sandbox.timeline import (
    NEVER,
    SLOT_MS,
    VARIANT_NEAR_DUPLICATE,
    VARIANT_RECORD,
    Change,
    EntitySpec,
    Item,
)

if TYPE_CHECKING:
    from sandbox.world import World


class _Sampler(NamedTuple):
    """How asset values of one metaproperty are drawn."""

    key: str  # property_<name>
    kind: int  # _SINGLE, _MULTI, _DATE or _TEXT
    options: tuple[str, ...]
    option_ids: tuple[str, ...]
    style: str  # text style, or "" for other kinds
    low_days: int  # date offset range from the asset's creation
    high_days: int


_SINGLE, _MULTI, _DATE, _TEXT = range(4)
#: Text styles of the hand-written text metaproperties (generated ones follow the attribute).
_TEXT_STYLES = {
    "Photographer": "person",
    "Accession_Number": "code:A",
    "Agency": "company",
    "Location": "city",
    "Creative_Brief_ID": "code:CB-",
}
_DATE_RANGES = {"Expiry_Date": (180, 1095), "Release_Date": (-60, 0)}


def _sampler(index: int, m: Metaproperty) -> _Sampler:
    key = f"property_{m.name}"
    if m.type == "select":
        kind = _MULTI if m.is_multiselect else _SINGLE
        return _Sampler(key, kind, m.options, OPTION_IDS[index], "", 0, 0)
    if m.type == "date":
        low, high = _DATE_RANGES.get(m.name, (30, 365))
        return _Sampler(key, _DATE, (), (), "", low, high)
    style = _TEXT_STYLES.get(m.name)
    if style is None:
        domain, _, attribute = m.name.partition("_")
        style = {"Owner": "person", "Code": f"code:{domain[:3].upper()}-"}.get(
            attribute, "sentence"
        )
    return _Sampler(key, _TEXT, (), (), style, 0, 0)


_SAMPLERS: tuple[_Sampler, ...] = tuple(_sampler(i, m) for i, m in enumerate(METAPROPERTIES))
_CORE = ("Market", "Channel", "AssetStatus", "WorkfrontProjectID", "Campaign")
#: Catalog positions an asset may set besides the core ones.
_OPTIONAL = tuple(i for i, m in enumerate(METAPROPERTIES) if m.name not in _CORE)
_MARKET = METAPROPERTY_INDEX["Market"]
_CHANNEL = METAPROPERTY_INDEX["Channel"]
_STATUS = METAPROPERTY_INDEX["AssetStatus"]
_MARKET_KEY = "property_Market"
_MARKET_OPTION_IDS = _SAMPLERS[_MARKET].option_ids
_CHANNEL_SAMPLER = _SAMPLERS[_CHANNEL]
_STATUS_SAMPLER = _SAMPLERS[_STATUS]
_STATUS_KEY = _STATUS_SAMPLER.key
#: Option name to option id, per ``property_<Name>`` key of the select metaproperties.
_OPTION_ID_BY_KEY: dict[str, dict[str, str]] = {
    s.key: dict(zip(s.options, s.option_ids, strict=True)) for s in _SAMPLERS if s.options
}
_RENAMED_MARKET_KEY = f"property_{RENAMED_MARKET}"
_WORKFRONT_KEY = "property_WorkfrontProjectID"
_CAMPAIGN_KEY = "property_Campaign"
_STRICT_SELECT_KEYS = (_WORKFRONT_KEY, _CAMPAIGN_KEY)
#: Cumulative weights of AssetStatus options (Draft .. Retired).
_STATUS_CUMULATIVE = (0.08, 0.18, 0.50, 0.95, 1.0)
#: Cumulative weights of Market options (EMEA, NA, APAC, LATAM).
_MARKET_CUMULATIVE = (0.30, 0.70, 0.90, 1.0)


# ------------------------------------------------------------------ workflow
class BynderEntity(Entity):
    """Common helpers for Bynder entities."""

    def changes_of(self, item: Item) -> list[str]:
        """Changes applied up to the item's version."""
        return self.applied_changes(item.slot, item.index, item.version)


class Campaigns(BynderEntity):
    """Workflow campaigns; their ``key`` is the campaign code calls carry."""

    spec = EntitySpec(
        system="bynder",
        name="campaigns",
        code=5,
        per_day=0.5,
        initial=60,
        minimum_initial=60,
        scaled=False,
        changes=(
            Change("replanned", 5 * DAY_MS, 0.5, jitter_ms=DAY_MS),
            Change("closed", 30 * DAY_MS, 0.7, jitter_ms=2 * DAY_MS),
        ),
    )

    def make_id(self, slot: int, index: int, variant: int) -> str:
        """Workflow ids are lower-case UUIDs."""
        return uuid_like(slot, index, variant, self.spec.code)

    def parse_id(self, text: str) -> tuple[int, int, int]:
        """(slot, index, variant) of a campaign id."""
        slot, index, variant, code = parse_uuid_like(text)
        if code != self.spec.code:
            raise ValueError(f"not a campaign id: {text!r}")
        return slot, index, variant

    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """A campaign's id and key (``SPR26-EMEA-014``)."""
        seq = self.timeline.seq_start(slot) + index
        year = (slot * SLOT_MS // (365 * DAY_MS)) % 100 + 70
        return {
            "id": self.record_id(slot, index),
            "key": f"{SEASONS[seq % len(SEASONS)]}{year % 100:02d}-{rng.choice(MARKETS)}-{seq:03d}",
        }

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a campaign."""
        pools = self.world.pools
        return {
            **ref,
            "name": f"{rng.choice(pools.catch_phrases)} ({ref['key']})",
            "description": rng.choice(pools.sentences),
            "created_by": uuid_like(-7, rng.randrange(40), 0, 0),
            "responsible": uuid_like(-7, rng.randrange(40), 0, 0),
            "start_offset_days": rng.randint(3, 20),
            "length_days": rng.randint(20, 90),
            "delay_days": rng.randint(5, 30),
            "preset": uuid_like(-8, rng.randrange(5), 0, 0),
        }

    def render(self, item: Item) -> dict[str, Any]:
        """Campaign JSON (workflow casing)."""
        row = self.row(item.slot, item.index)
        changes = self.changes_of(item)
        created = row["created_ms"]
        start = created + row["start_offset_days"] * DAY_MS
        deadline = start + row["length_days"] * DAY_MS
        if "replanned" in changes:
            deadline += row["delay_days"] * DAY_MS
        return {
            "ID": row["id"],
            "name": row["name"],
            "key": row["key"],
            "description": row["description"],
            "accountID": ACCOUNT_ID,
            "dateCreated": formats.iso_s_z(created),
            "createdByID": row["created_by"],
            "dateModified": formats.iso_s_z(item.time_ms),
            "responsibleID": row["responsible"],
            "closed": "closed" in changes,
            "dateStart": formats.iso_s_z(start),
            "deadline": formats.iso_s_z(deadline),
            "presetID": row["preset"],
            "thumbnailURL": f"https://portal.getbynder.example/campaigns/{row['id']}/thumb.png",
            "campaignMetaproperties": {},
        }

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Campaigns carry no injected defects."""
        raise AssertionError("campaigns have no defect kinds")


# ---------------------------------------------------------------------- media
def _cumulative_pick(r: float, cumulative: tuple[float, ...]) -> int:
    for position, bound in enumerate(cumulative):
        if r < bound:
            return position
    return len(cumulative) - 1


#: ``rng.random`` of a record's stream: every value draw takes it.
Rand = Callable[[], float]
#: An asset's value of one metaproperty: select values are tuples (rendered as lists).
Value = str | tuple[str, ...]


class _ValueDraw:
    """Draws an asset's value of one metaproperty; one subclass per kind of value.

    :meth:`draw` makes the value's draws from the record's stream, in a fixed order,
    and appends the option ids a select value picks to ``option_ids``. An object is
    made once per kind and metaproperty (:func:`_value_draw`), so a record's draw does
    no dispatch on the kind and finds its pools and options on ``self``.
    """

    __slots__ = ()

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """The value; ``day_ms`` (the asset's creation day) anchors date values."""
        raise NotImplementedError


class _SingleSelect(_ValueDraw):
    """One option of a single select: one draw."""

    __slots__ = ("option_ids", "options")

    def __init__(self, options: tuple[str, ...], option_ids: tuple[str, ...]) -> None:
        self.options = options
        self.option_ids = option_ids

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """A one-option tuple."""
        k = int(rand() * len(self.options))
        option_ids.append(self.option_ids[k])
        return (self.options[k],)


class _MultiSelect(_SingleSelect):
    """One option in most cases, else two or three distinct ones (in catalog order)."""

    __slots__ = ()

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """A tuple of one to three options."""
        n = len(self.options)
        draw = rand()
        first = int(rand() * n)
        if draw < 0.58:
            option_ids.append(self.option_ids[first])
            return (self.options[first],)
        picks = {first, int(rand() * n)}
        if draw >= 0.82:
            picks.add(int(rand() * n))
        order = sorted(picks)
        option_ids.extend(map(self.option_ids.__getitem__, order))
        return tuple(map(self.options.__getitem__, order))


class _DateValue(_ValueDraw):
    """A date ``low_days`` to ``high_days`` after the asset's creation day."""

    __slots__ = ("low_days", "span_days")

    def __init__(self, low_days: int, high_days: int) -> None:
        self.low_days = low_days
        self.span_days = high_days - low_days + 1

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """``2024-05-01``."""
        days = self.low_days + int(rand() * self.span_days)
        return formats.iso_date(day_ms + days * DAY_MS)


class _PersonName(_ValueDraw):
    """``First Last`` from the world's name pools: two draws."""

    __slots__ = ("firsts", "lasts")

    def __init__(self, pools: Pools) -> None:
        self.firsts = pools.first_names
        self.lasts = pools.last_names

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """A person's name."""
        firsts, lasts = self.firsts, self.lasts
        return f"{firsts[int(rand() * len(firsts))]} {lasts[int(rand() * len(lasts))]}"


class _Code(_ValueDraw):
    """A prefix and five digits (``CB-00412``): one draw."""

    __slots__ = ("prefix",)

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """A code."""
        return f"{self.prefix}{int(rand() * 100_000):05d}"


class _PoolText(_ValueDraw):
    """One value of a pool (companies, cities or sentences): one draw."""

    __slots__ = ("values",)

    def __init__(self, values: tuple[str, ...]) -> None:
        self.values = values

    def draw(self, rand: Rand, day_ms: int, option_ids: list[str]) -> Value:
        """A pool value."""
        values = self.values
        return values[int(rand() * len(values))]


def _value_draw(sampler: _Sampler, pools: Pools) -> _ValueDraw:
    """The drawer of one metaproperty's values (the sampler's kind and text style)."""
    if sampler.kind == _SINGLE:
        return _SingleSelect(sampler.options, sampler.option_ids)
    if sampler.kind == _MULTI:
        return _MultiSelect(sampler.options, sampler.option_ids)
    if sampler.kind == _DATE:
        return _DateValue(sampler.low_days, sampler.high_days)
    style = sampler.style
    if style == "person":
        return _PersonName(pools)
    if style.startswith("code:"):
        return _Code(style[5:])
    if style == "company":
        return _PoolText(pools.companies)
    return _PoolText(pools.cities if style == "city" else pools.sentences)


class _Picker:
    """``entity.ref(*entity.pick_existing(rng, slot * SLOT_MS, recent))[field]``, cached.

    It draws exactly as :meth:`Entity.pick_existing` does (one ``rng.random()`` over
    the records created before the slot, or the newest ``recent`` of them) and caches
    the two costly steps: the number of records created before a slot and the value
    of each sequence number. ``field=None`` means the record id. When nothing was
    created before the slot, a ``strict`` picker answers None (after the same draw)
    where ``pick_existing`` would fall back on a record created up to a day later.
    """

    def __init__(
        self, entity: Entity, field: str | None, recent: int = 0, strict: bool = False
    ) -> None:
        self.entity = entity
        self.field = field
        self.recent = recent
        self.strict = strict
        self._totals: dict[int, int] = {}
        self._values: dict[int, str] = {}

    def _value(self, slot: int, index: int) -> str:
        if self.field is None:
            return self.entity.record_id(slot, index)
        return str(self.entity.ref(slot, index)[self.field])

    def pick(self, rng: random.Random, slot: int) -> str | None:
        """The picked record's value for an asset created in ``slot``."""
        total = self._totals.get(slot)
        if total is None:
            total = self.entity.timeline.created_before(slot * SLOT_MS - 5_000 - SLOT_MS)
            if len(self._totals) > 200_000:
                self._totals.clear()
            self._totals[slot] = total
        if total <= 0:  # nothing before
            if self.strict:
                rng.random()
                return None
            return self._value(*self.entity.pick_existing(rng, slot * SLOT_MS, self.recent))
        low = max(0, total - self.recent) if self.recent else 0
        seq = low + int(rng.random() * (total - low))
        value = self._values.get(seq)
        if value is None:
            value = self._value(*self.entity.timeline.locate(seq))
            if len(self._values) > 200_000:
                self._values.clear()
            self._values[seq] = value
        return value


class Media(BynderEntity):
    """Bynder assets (``/api/v4/media/``) with sparse ``property_<Name>`` metaproperties.

    Deleted assets never appear in the media listing; they show in the 30-day
    "recently removed" list (:meth:`removed_listing`, :meth:`render_removed`).
    """

    spec = EntitySpec(
        system="bynder",
        name="media",
        code=6,
        per_day=1_000_000,
        initial=2_000_000,
        minimum_initial=200,
        profile="business",
        changes=(
            Change("metadata_edit", 2 * DAY_MS, 0.12),
            Change("archived", 20 * DAY_MS, 0.06),
            Change("removed", 25 * DAY_MS, 0.004, delete=True),
        ),
        defect_kinds=(
            "exact_duplicate",
            "near_duplicate",
            "null_required",
            "unknown_enum",
            "orphan_fk",
            "negative_value",
            "timestamp_format",
            "changed_between_pages",
        ),
    )

    def __init__(self, world: World) -> None:
        """Bind to the world and draw the portal's users from its pools."""
        super().__init__(world)
        pools = world.pools
        users = []
        for i in range(N_PORTAL_USERS):
            first = pools.first_names[(i * 7) % len(pools.first_names)]
            last = pools.last_names[(i * 13) % len(pools.last_names)]
            login = "".join(c for c in f"{first}.{last}".lower() if c.isalnum() or c == ".")
            users.append((f"{first} {last}", login, bynder_guid(USER_SLOT, i, 0, 0)))
        #: (display name, username, user id) of the portal's users.
        self.users: tuple[tuple[str, str, str], ...] = tuple(users)
        self._delete_column = next(
            k for k, change in enumerate(self.spec.changes, start=1) if change.delete
        )
        self._removed_cache: tuple[tuple[int, int], list[Item]] | None = None
        self._project_picker: _Picker | None = None
        self._campaign_picker: _Picker | None = None
        #: How each metaproperty's values are drawn, by catalog position.
        self._draws: tuple[_ValueDraw, ...] = tuple(_value_draw(s, pools) for s in _SAMPLERS)

    # -------------------------------------------------------------- identity
    def make_id(self, slot: int, index: int, variant: int) -> str:
        """Upper-case GUID in Bynder's 8-4-4-16 grouping."""
        return bynder_guid(slot, index, variant, self.spec.code)

    def parse_id(self, text: str) -> tuple[int, int, int]:
        """(slot, index, variant) of an asset id."""
        slot, index, variant, code = parse_bynder_guid(text)
        if code != self.spec.code:
            raise ValueError(f"not a media id: {text!r}")
        return slot, index, variant

    # --------------------------------------------------------------- content
    def make_ref(self, rng: random.Random, slot: int, index: int) -> dict[str, Any]:
        """An asset's id, name, type and URL slug (usage records copy them)."""
        r = rng.random()
        kind = "image" if r < 0.70 else "document" if r < 0.85 else "video" if r < 0.95 else "audio"
        words = self.world.pools.words
        subjects = SUBJECTS[kind]
        first = words[int(rng.random() * len(words))].capitalize()
        second = words[int(rng.random() * len(words))]
        name = f"{first} {second} {subjects[int(rng.random() * len(subjects))]}"
        return {
            "id": self.record_id(slot, index),
            "name": name,
            "type": kind,
            "slug": name.lower().replace(" ", "-"),
        }

    def _project_id(self, rng: random.Random, slot: int) -> str | None:
        """Id of a Workfront project created before the asset, if there is one.

        The Workfront entities live in ``sandbox/workfront/entities.py``, written
        separately; while the world registers no ``projects`` entity, assets carry
        no project link (one draw is still consumed so later draws do not shift).
        Assets older than every project carry no link either.
        """
        picker = self._project_picker
        if picker is None:
            projects = self.world.entities.get("projects")
            if projects is None:
                rng.random()
                return None
            picker = self._project_picker = _Picker(projects, None, strict=True)
        return picker.pick(rng, slot)

    def _campaign_key(self, rng: random.Random, slot: int) -> str | None:
        """Key of one of the 25 newest campaigns created before the asset."""
        picker = self._campaign_picker
        if picker is None:
            picker = self._campaign_picker = _Picker(self.world.entity("campaigns"), "key", 25)
        return picker.pick(rng, slot)

    def _orphan_project_id(self, rng: random.Random) -> str:
        """A Workfront-format project id that no project has."""
        projects = self.world.entities.get("projects")
        if projects is not None:
            return projects.orphan_id(rng)
        slot = self.timeline.base_slot - 10 - rng.randrange(100_000)
        return workfront_id(slot * SLOT_MS, slot, rng.randrange(1000), 3, 15)

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw an asset: file facts, flags, tags and its sparse metaproperty values.

        The row holds ``record``, the asset's first version as the API shows it
        (nested values as tuples, dates unset), which :meth:`build` copies and
        completes; the other keys say what a metadata edit changes.
        """
        rand = rng.random
        pools = self.world.pools
        kind = ref["type"]
        day_ms = slot * SLOT_MS
        extensions = EXTENSIONS[kind]
        extension = extensions[int(rand() * len(extensions))]
        width: int | None = None
        height: int | None = None
        if kind == "image":
            width, height = IMAGE_SIZES[int(rand() * len(IMAGE_SIZES))]
            file_size = int(width * height * BYTES_PER_PIXEL[extension] * (0.6 + rand()))
        elif kind == "video":
            width, height = VIDEO_SIZES[int(rand() * len(VIDEO_SIZES))]
            seconds = 6 + int(rand() * 170)
            file_size = int(seconds * width * height * (0.25 + rand() * 0.5))
        elif kind == "document":
            file_size = 40_000 + int(rand() ** 3 * 40_000_000)
        else:
            file_size = 300_000 + int(rand() * 60_000_000)
        if width is None or height is None:
            orientation = "portrait" if kind == "document" else "square"
        elif width == height:
            orientation = "square"
        else:
            orientation = "landscape" if width > height else "portrait"
        brand = int(rand() * N_BRANDS)
        sub_draw = rand()
        sub_brand = None
        if sub_draw >= 0.5:
            sub_brand = SUB_BRAND_IDS[2 * brand + int((sub_draw - 0.5) * 4)]
        words = pools.words
        n_words = len(words)
        tag_list = [words[int(rand() * n_words)]]
        for _ in range(int(rand() * 4)):
            tag = words[int(rand() * n_words)]
            if tag not in tag_list:
                tag_list.append(tag)
        tags = tuple(tag_list)
        sentences = pools.sentences
        description = "" if rand() < 0.5 else sentences[int(rand() * len(sentences))]
        copyright_holder = ""
        if rand() >= 0.6:
            company = pools.companies[int(rand() * len(pools.companies))]
            copyright_holder = f"\N{COPYRIGHT SIGN} {formats.iso_date(day_ms)[:4]} {company}"
        published_offset = 0 if rand() < 0.6 else int(rand() * 3 * 365 * DAY_MS)
        is_public, limited, watermarked = rand() < 0.35, rand() < 0.05, rand() < 0.08
        id_hash = f"{rng.getrandbits(64):016x}"
        version_draw = rand()

        # metaproperties: the core ones, then 3-8 optional ones in catalog order
        props: dict[str, str | tuple[str, ...]] = {}
        option_ids: list[str] = []
        market = _cumulative_pick(rand(), _MARKET_CUMULATIVE)
        if rand() < 0.15:
            markets = sorted({market, int(rand() * len(MARKETS))})
            props[_MARKET_KEY] = tuple([MARKETS[k] for k in markets])
            option_ids.extend([_MARKET_OPTION_IDS[k] for k in markets])
        else:
            props[_MARKET_KEY] = (MARKETS[market],)
            option_ids.append(_MARKET_OPTION_IDS[market])
        draws = self._draws
        props[_CHANNEL_SAMPLER.key] = draws[_CHANNEL].draw(rand, day_ms, option_ids)
        status = _cumulative_pick(rand(), _STATUS_CUMULATIVE)
        props[_STATUS_KEY] = (_STATUS_SAMPLER.options[status],)
        option_ids.append(_STATUS_SAMPLER.option_ids[status])
        if rand() < 0.7:
            project_id = self._project_id(rng, slot)
            if project_id is not None:
                props[_WORKFRONT_KEY] = project_id
        if rand() < 0.4:
            campaign = self._campaign_key(rng, slot)
            if campaign is not None:
                props[_CAMPAIGN_KEY] = campaign
        wanted = 3 + int(rand() * 6)
        chosen: set[int] = set()
        n_optional = len(_OPTIONAL)
        while len(chosen) < wanted:
            chosen.add(_OPTIONAL[int(rand() * n_optional)])
        chosen_order = sorted(chosen)
        for position in chosen_order:
            props[_SAMPLERS[position].key] = draws[position].draw(rand, day_ms, option_ids)
        # what a metadata edit changes: one more tag, the description, one value
        # (a core select or one of the optional properties, never the links)
        pick = int(rand() * (3 + wanted))
        edit_position = (_MARKET, _CHANNEL, _STATUS)[pick] if pick < 3 else chosen_order[pick - 3]
        edit_sampler = _SAMPLERS[edit_position]
        edit_value = draws[edit_position].draw(rand, day_ms + 2 * DAY_MS, [])
        user = int(rand() * N_PORTAL_USERS)
        remover = (user + 1 + int(rand() * (N_PORTAL_USERS - 1))) % N_PORTAL_USERS
        thumbs = f"{PORTAL_URL}/m/{id_hash}/"
        slug = ref["slug"]
        record = {
            "id": ref["id"],
            "name": ref["name"],
            "description": description,
            "copyright": copyright_holder,
            "type": kind,
            "orientation": orientation,
            "brandId": BRAND_IDS[brand],
            "subBrandId": sub_brand,
            "tags": tags,
            "propertyOptions": tuple(option_ids),
            "extension": extension,
            "fileSize": file_size,
            "width": width,
            "height": height,
            "dateCreated": None,
            "dateModified": None,
            "datePublished": None,
            "archive": 0,
            "isPublic": 1 if is_public else 0,
            "limited": 1 if limited else 0,
            "watermarked": 1 if watermarked else 0,
            "idHash": id_hash,
            "userCreated": self.users[user][0],
            "activeVersion": 1 if version_draw < 0.8 else 2 if version_draw < 0.95 else 3,
            "thumbnails": (
                f"{thumbs}mini-{slug}.png",
                f"{thumbs}thul-{slug}.png",
                f"{thumbs}webimage-{slug}.png",
            ),
        }
        return {
            "id": ref["id"],
            "record": record,
            "props": props,
            "published_offset_ms": published_offset,
            "remover": remover,
            "slug": slug,
            # the metadata edit: (extra tag, new description, property key, new value)
            "edit": (
                words[int(rand() * n_words)],
                sentences[int(rand() * len(sentences))],
                edit_sampler.key,
                edit_value,
            ),
        }

    # ------------------------------------------------------------- rendering
    def render(self, item: Item) -> dict[str, Any]:
        """The asset JSON of a listing item (a removal renders as its removed-list entry)."""
        if self.is_delete(item):
            return self.render_removed(item)
        row = self.row(item.slot, item.index)
        record = self.build(row, item)
        if item.variant == VARIANT_NEAR_DUPLICATE:
            record["id"] = self.record_id(item.slot, item.index, VARIANT_NEAR_DUPLICATE)
        record = self.with_defect(record, row)
        if self.world.settings.strict:  # the links are single selects: an array of one
            for key in _STRICT_SELECT_KEYS:
                value = record.get(key)
                if value.__class__ is str:
                    record[key] = [value]
        return record

    def build(self, row: dict[str, Any], item: Item) -> dict[str, Any]:
        """The clean JSON of an asset version (fresh lists and dicts; the row is not shared)."""
        base: dict[str, Any] = row["record"]
        record = base.copy()
        props: dict[str, str | tuple[str, ...]] = row["props"]
        created = row["created_ms"]
        record["dateCreated"] = date_created = formats.iso_s_z(created)
        record["dateModified"] = formats.iso_s_z(item.time_ms)
        offset = row["published_offset_ms"]
        record["datePublished"] = formats.iso_s_z(created - offset) if offset else date_created
        record["extension"] = [base["extension"]]
        mini, thul, webimage = base["thumbnails"]
        record["thumbnails"] = {"mini": mini, "thul": thul, "webimage": webimage}
        changes = self.changes_of(item) if item.version else ()
        if "metadata_edit" in changes:
            extra_tag, description, edit_key, edit_value = row["edit"]
            record["tags"] = [*base["tags"], extra_tag]
            record["description"] = description
            props = {**props, edit_key: edit_value}
            record["propertyOptions"] = [
                ids[name]
                for key, value in props.items()
                if (ids := _OPTION_ID_BY_KEY.get(key)) is not None
                for name in value
            ]
        else:
            record["tags"] = list(base["tags"])
            record["propertyOptions"] = list(base["propertyOptions"])
        if "archived" in changes:
            record["archive"] = 1
        if self.world.drift_active("renamed", item.time_ms):
            for key, value in props.items():
                if key == _MARKET_KEY:
                    key = _RENAMED_MARKET_KEY
                record[key] = value if value.__class__ is str else list(value)
        else:
            for key, value in props.items():
                record[key] = value if value.__class__ is str else list(value)
        return record

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Asset defects."""
        if kind == "null_required":
            return "name", "required field is null", None
        if kind == "unknown_enum":
            value = rng.choice(("img", "photo", "IMAGE", "vector"))
            return "type", "type outside the documented set", value
        if kind == "orphan_fk":
            return _WORKFRONT_KEY, "Workfront project does not exist", self._orphan_project_id(rng)
        if kind == "negative_value":
            return "fileSize", "negative file size", -max(1, int(row["record"]["fileSize"]))
        if kind == "timestamp_format":
            published = row["created_ms"] - row["published_offset_ms"]
            value, variant = formats.bad_timestamp(published, rng)
            return "datePublished", f"timestamp format {variant}", value
        raise ValueError(f"media has no defect {kind!r}")

    # ------------------------------------------------------ recently removed
    def render_removed(self, item: Item) -> dict[str, Any]:
        """The "recently removed" entry of a removal (``item.time_ms`` is dateRemoved).

        ``S3_filepointer`` is the public URL of the original, null for non-public assets.
        """
        row = self.row(item.slot, item.index)
        base = row["record"]
        _, username, user_id = self.users[row["remover"]]
        pointer = None
        if base["isPublic"]:
            pointer = f"{PORTAL_URL}/m/{base['idHash']}/original/{row['slug']}.{base['extension']}"
        return {
            "id": row["id"],
            "name": base["name"],
            "dateRemoved": formats.iso_s_z(item.time_ms),
            "dateCreated": formats.iso_s_z(row["created_ms"]),
            "username": username,
            "userId": user_id,
            "S3_filepointer": pointer,
        }

    def removed_listing(self, since_ms: int, at_ms: int) -> list[Item]:
        """Removals stamped in ``[max(since, at - 30 days), at]``, by (dateRemoved, id).

        Equivalent to keeping the deletions of
        ``timeline.items_in_window(start, at + 1, at, include_deleted=True, stale_kind=-1)``
        but it scans only the blocks whose records can be removed in the window.
        The last answer is cached (a paged client asks for the same window repeatedly).
        """
        start = max(since_ms, at_ms - REMOVED_WINDOW_MS, self.timeline.first_stamp_ms)
        end = at_ms + 1
        cached = self._removed_cache
        if cached is not None and cached[0] == (start, end):
            return list(cached[1])
        timeline = self.timeline
        column = self._delete_column
        change = self.spec.changes[column - 1]
        lead = change.after_ms + change.jitter_ms + timeline._max_lag
        first_slot = max(timeline.base_slot, (start - lead) // SLOT_MS - 1)
        last_slot = (end - change.after_ms) // SLOT_MS
        found: list[Item] = []
        if start < end and first_slot <= last_slot:
            for number in range(timeline._block_of(first_slot), timeline._block_of(last_slot) + 1):
                blk = timeline.block(number)
                times = blk.versions_ms[:, column]
                rows = np.nonzero((times >= start) & (times < end) & (times != NEVER))[0]
                if not rows.size:
                    continue
                slot_of = blk.slot_of[rows]
                found.extend(
                    Item(t, s, i, column, VARIANT_RECORD)
                    for t, s, i in zip(
                        times[rows].tolist(),
                        (slot_of + blk.first_slot).tolist(),
                        (rows - blk.starts[slot_of]).tolist(),
                        strict=True,
                    )
                )
        found.sort(key=lambda it: (it.time_ms, self.record_id(it.slot, it.index)))
        self._removed_cache = ((start, end), found)
        return list(found)


# ---------------------------------------------------------------------- usage


class Usage(BynderEntity):
    """Asset usage events (``/api/media/usage/``): where an integration used an asset.

    The real API documents GET by ``asset_id`` only; the sandbox's bulk listing of
    all usage is an assumption (documented with the server).
    """

    spec = EntitySpec(
        system="bynder",
        name="usage",
        code=7,
        per_day=200_000,
        profile="business",
        defect_kinds=("exact_duplicate", "orphan_fk", "null_required", "timestamp_format"),
    )

    def make_id(self, slot: int, index: int, variant: int) -> str:
        """Usage ids are lower-case UUIDs."""
        return uuid_like(slot, index, variant, self.spec.code)

    def parse_id(self, text: str) -> tuple[int, int, int]:
        """(slot, index, variant) of a usage id."""
        slot, index, variant, code = parse_uuid_like(text)
        if code != self.spec.code:
            raise ValueError(f"not a usage id: {text!r}")
        return slot, index, variant

    def make_base(
        self, rng: random.Random, slot: int, index: int, ref: dict[str, Any]
    ) -> dict[str, Any]:
        """Draw a usage event of an asset created before it."""
        media = self.world.entity("media")
        asset = media.ref(*media.pick_existing(rng, slot * SLOT_MS))
        integration = _cumulative_pick(rng.random(), INTEGRATION_CUMULATIVE)
        slug = asset["slug"]
        number = int(rng.random() * 1_000_000)
        description = INTEGRATIONS[integration][1]
        if description == "CMS":
            uri = f"/blog/{slug}"
        elif description == "Social Publisher":
            uri = f"/social/posts/{number:06d}"
        elif description == "Email Builder":
            uri = f"/emails/newsletter-{number % 5000:04d}"
        elif description == "Print Portal":
            uri = f"/print/orders/PO-{number:06d}"
        else:
            uri = f"/products/{slug}"
        draw = rng.random()
        additional = (
            ""
            if draw < 0.55
            else USAGE_NOTES[int(rng.random() * len(USAGE_NOTES))]
            if draw < 0.85
            else self.world.pools.sentences[int(rng.random() * len(self.world.pools.sentences))]
        )
        return {
            **ref,
            "asset_id": asset["id"],
            "integration": integration,
            "uri": uri,
            "additional": additional,
            "micros": int(rng.random() * 1000),
        }

    def render(self, item: Item) -> dict[str, Any]:
        """Usage JSON (the GET shape: a nested ``integration`` object)."""
        row = self.row(item.slot, item.index)
        integration_id, description = INTEGRATIONS[row["integration"]]
        record = {
            "id": row["id"],
            "asset_id": row["asset_id"],
            "integration": {"id": integration_id, "description": description},
            "timestamp": formats.iso_micro_offset(item.time_ms, row["micros"]),
            "uri": row["uri"],
            "additional": row["additional"],
        }
        return self.with_defect(record, row)

    def inject(self, row: dict[str, Any], kind: str, rng: random.Random) -> tuple[str, str, Any]:
        """Usage defects."""
        if kind == "orphan_fk":
            return "asset_id", "asset does not exist", self.world.entity("media").orphan_id(rng)
        if kind == "null_required":
            return "uri", "required field is null", None
        if kind == "timestamp_format":
            value, variant = formats.bad_timestamp(row["created_ms"], rng)
            return "timestamp", f"timestamp format {variant}", value
        raise ValueError(f"usage has no defect {kind!r}")


BYNDER_ENTITIES: tuple[type[Entity], ...] = (Campaigns, Media, Usage)
