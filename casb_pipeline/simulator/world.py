"""The synthetic tenant: parent company, organizations, users, projects, chat metadata.

Only compact per-chat metadata lives here (a few machine integers per chat in
``array`` columns); message bodies and file bytes are built on demand by
:mod:`casb_pipeline.simulator.chats` from (seed, chat index). Everything
follows from (seed, scale, anchor).
"""

from __future__ import annotations

import random
import unicodedata
from array import array
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from casb_pipeline.simulator import content, documents
from casb_pipeline.simulator.config import SimulatorConfig
from casb_pipeline.simulator.documents import FileSpec
from casb_pipeline.simulator.ids import IdCodec, rng_for
from casb_pipeline.simulator.planted import DECOY_KINDS, DETECTORS, Snippet, planted_snippet

DAY = 86_400
# 28 entries (coprime with the 25 detectors, so every pairing comes round),
# alternating a message-side source and a file kind: a detector's successive
# plants (25 apart) land 3 entries apart, so always in two kinds of record.
_MESSAGE_SIDE = (
    "msg_text",
    "tool_input",
    "msg_text",
    "tool_result",
    "gen_file",
    "msg_text",
    "artifact",
    "msg_text",
    "tool_input",
    "msg_text",
    "tool_result",
    "gen_file",
    "msg_text",
    "artifact",
)
_FILE_SIDE = (
    "file:txt",
    "file:docx",
    "file:xlsx",
    "file:csv",
    "file:pptx",
    "file:pdf",
    "file:zip",
    "file:json",
    "file:docx_text",
    "file:md",
    "file:py",
    "file:pdf_text",
    "file:yaml",
    "file:env",
)
CHAT_SOURCES: tuple[str, ...] = tuple(
    source for pair in zip(_MESSAGE_SIDE, _FILE_SIDE, strict=True) for source in pair
)
DECOY_SOURCES: tuple[str, ...] = ("msg_text", "tool_result", "file:txt", "file:py")
PROJECT_SOURCES: tuple[str, ...] = (
    "description",
    "instructions",
    "project_doc",
    "project_file:txt",
    "project_file:docx",
    "project_file:xlsx",
    "project_file:pdf",
    "project_file:pptx",
    "project_file:csv",
)
_SINGLE_LINE_SOURCES = frozenset({"tool_input", "file:json"})
_PLANT_RATE = {"small": 0.35, "medium": 0.06, "large": 0.025}
_DECOY_RATE = {"small": 0.2, "medium": 0.04, "large": 0.01}
_COMPANIES = (
    ("Northwind", "northwind-traders.com"),
    ("Contoso", "contoso-group.com"),
    ("Fabrikam", "fabrikam-industries.com"),
    ("Tailspin", "tailspin-aero.com"),
    ("Litware", "litware-labs.com"),
)
_UNITS = ("Legal & Finance", "Engineering", "Sales EMEA")
_NAMES = {
    "en": (("Emma", "James", "Olivia", "Noah", "Grace"), ("Walker", "Bennett", "Hughes", "Carter")),
    "fr": (
        ("Camille", "Louis", "Chloé", "Théo", "Élodie"),
        ("Moreau", "Lefèvre", "Girard", "Roux"),
    ),
    "de": (("Lena", "Jonas", "Mia", "Lukas", "Jürgen"), ("Müller", "Schäfer", "Becker", "Wagner")),
    "es": (("Sofía", "Mateo", "Lucía", "Hugo", "Inés"), ("García", "Martínez", "Núñez", "Ruiz")),
    "ja": (("Aiko", "Haruto", "Yui", "Sota", "Rin"), ("Tanaka", "Suzuki", "Sato", "Ito")),
}
_ROLES = ("user",) * 10 + ("admin", "developer", "claude_code_user", "billing", "managed")
_MODELS = ("claude-sonnet-4-5", "claude-opus-4-1", "claude-sonnet-4-5", "claude-haiku-4-5")
_PROJECT_NAMES = {
    "engineering": ("Platform runbooks", "Incident reviews", "Data pipeline"),
    "finance": ("Q4 close", "Vendor payments", "Budget 2026"),
    "hr": ("Hiring plan", "Onboarding", "Policies"),
    "legal": ("Vendor contracts", "Privacy reviews", "Litigation hold"),
    "sales": ("Enterprise renewals", "Pricing", "Partner deals"),
}
_FILE_KINDS = ("txt", "md", "csv", "py", "json", "docx", "xlsx", "pptx", "pdf", "png", "docx_text")


@dataclass(frozen=True)
class Membership:
    org: int
    role: str
    joined: int


@dataclass(frozen=True)
class Org:
    index: int
    uuid: str
    legacy_id: str
    name: str
    created: int
    has_chats: bool


@dataclass(frozen=True)
class User:
    index: int
    id: str
    email: str
    full_name: str
    created: int
    lang: str
    memberships: tuple[Membership, ...]


@dataclass
class ProjectItem:
    """A project attachment: a document (text) or a file (served by the file endpoints)."""

    id: str
    kind: str  # "project_doc" | "project_file"
    spec: FileSpec
    created: int
    user: int
    deleted_at: int | None = None  # removed by its user in claude.ai (activity emitted)
    hard_deleted: bool = False  # removed through the Compliance API


@dataclass(frozen=True)
class Collaborator:
    type: str
    principal: str | None
    role: str
    granted: int
    assignment: str


@dataclass
class Project:
    index: int
    id: str
    name: str
    topic: str
    description: str
    instructions: str
    is_private: bool
    user: int
    org: int
    created: int
    updated: int
    deleted_at: int | None
    items: list[ProjectItem]
    collaborators: list[Collaborator]
    field_snippets: list[tuple[str, Snippet]] = field(default_factory=list)
    hard_deleted: bool = False


class ChatTable:
    """Per-chat metadata in compact columns; the chat index is its address."""

    def __init__(self) -> None:
        self.created = array("q")
        self.span = array("q")  # seconds from the first to the last original message
        self.updated = array("q")
        self.deleted = array("q")  # 0 = not deleted by its user
        self.user = array("l")
        self.org = array("b")
        self.project = array("l")  # -1 = none
        self.turns = array("b")
        self.attach = array("H")  # bit t: the user message of turn t carries an upload

    def __len__(self) -> int:
        return len(self.created)

    def append(
        self, created: int, span: int, user: int, org: int, project: int, turns: int, attach: int
    ) -> int:
        self.created.append(created)
        self.span.append(span)
        self.updated.append(created + span)
        self.deleted.append(0)
        self.user.append(user)
        self.org.append(org)
        self.project.append(project)
        self.turns.append(turns)
        self.attach.append(attach)
        return len(self.created) - 1


@dataclass(frozen=True)
class Plan:
    """What to put into a chat: ("plant", source, detector) or ("decoy", source, kind number)."""

    kind: str
    source: str
    what: str | int


class World:
    """The tenant as generated; :class:`~casb_pipeline.simulator.store.Store` adds live state."""

    def __init__(self, config: SimulatorConfig) -> None:
        self.config = config
        self.seed = config.seed
        self.scale = config.scale
        spec = config.spec
        self.last_day: date = config.last_day
        self.first_day: date = self.last_day - timedelta(days=spec.days - 1)
        self.start = int(datetime.combine(self.first_day, datetime.min.time(), UTC).timestamp())
        self.end = self.start + spec.days * DAY - 1
        self.codec = IdCodec(self.seed)
        rng = rng_for(self.seed, "world")
        self.company, self.domain = rng.choice(_COMPANIES)
        self.orgs = self._make_orgs(rng)
        self.users = self._make_users(rng, spec.users)
        self.user_by_id = {user.id: user for user in self.users}
        self.org_members: list[list[int]] = [[] for _ in self.orgs]
        for user in self.users:
            for membership in user.memberships:
                self.org_members[membership.org].append(user.index)
        self.groups = [self.codec.encode("rbac_group_", n) for n in range(3)]
        self.plant_counter = 0
        self.decoy_counter = 0
        self.projects = [self._make_project(rng, n) for n in range(spec.projects)]
        self.chats = ChatTable()
        self.plans: dict[int, tuple[Plan, ...]] = {}
        self.user_deleted_chats: list[int] = []
        self._make_chats(rng, spec.chats, spec.mean_turns)

    # --- people and organizations -------------------------------------------------

    def _make_orgs(self, rng: random.Random) -> list[Org]:
        count = rng.choice((2, 3))
        orgs = []
        for n in range(count):
            created = self.start - rng.randint(200, 600) * DAY
            name = f"{self.company} {_UNITS[n]}"
            uuid = self.codec.uuid("org", n)
            orgs.append(Org(n, uuid, self.codec.encode("org_", n), name, created, True))
        return sorted(orgs, key=lambda org: (org.created, org.uuid))

    def _make_users(self, rng: random.Random, count: int) -> list[User]:
        users = []
        seen: set[str] = set()
        for n in range(count):
            lang = content.language_for(rng)
            first, last = rng.choice(_NAMES[lang][0]), rng.choice(_NAMES[lang][1])
            local = _ascii(f"{first}.{last}").lower()
            while local in seen:
                local = f"{local}{rng.randint(2, 99)}"
            seen.add(local)
            created = self.start - rng.randint(30, 500) * DAY
            home = n % len(self.orgs)
            role = "primary_owner" if n == 0 else ("owner" if n < 3 else rng.choice(_ROLES))
            memberships = [Membership(self.orgs[home].index, role, created + DAY)]
            if rng.random() < 0.25:
                other = (home + 1 + rng.randrange(len(self.orgs) - 1)) % len(self.orgs)
                joined = created + rng.randint(2, 25) * DAY
                memberships.append(Membership(self.orgs[other].index, "user", joined))
            users.append(
                User(
                    index=n,
                    id=self.codec.encode("user_", n),
                    email=f"{local}@{self.domain}",
                    full_name=f"{first} {last}",
                    created=created,
                    lang=lang,
                    memberships=tuple(memberships),
                )
            )
        return users

    def org_by_index(self, index: int) -> Org:
        return next(org for org in self.orgs if org.index == index)

    # --- projects -------------------------------------------------------------------

    def _next_plant(self, sources: tuple[str, ...]) -> tuple[str, str]:
        number = self.plant_counter
        self.plant_counter += 1
        detector = DETECTORS[number % len(DETECTORS)]
        source = sources[number % len(sources)]
        return source, detector

    def _make_project(self, rng: random.Random, n: int) -> Project:
        owner = self.users[rng.randrange(len(self.users))]
        org = rng.choice(owner.memberships).org
        topic = rng.choice(content.TOPICS)
        created = self.start + rng.randint(0, max(1, (self.end - self.start) // 3))
        is_private = rng.random() < 0.5
        deleted = n % 7 == 6
        project_id = self.codec.encode("claude_proj_", n)
        name = rng.choice(_PROJECT_NAMES[topic])
        project = Project(
            index=n,
            id=project_id,
            name=name,
            topic=topic,
            description=f"Working notes for {name.lower()} ({topic}).",
            instructions="Answer in the user's language and cite the source document.",
            is_private=is_private,
            user=owner.index,
            org=org,
            created=created,
            updated=created,
            deleted_at=None,
            items=[],
            collaborators=[],
        )
        self._add_collaborators(rng, project)
        planted = 0 if deleted else 2
        item_snippets: list[tuple[str, Snippet]] = []
        for _ in range(planted):
            source, detector = self._next_plant(PROJECT_SOURCES)
            snippet = planted_snippet(detector, rng, self.domain)
            if source in ("description", "instructions"):
                project.field_snippets.append((source, snippet))
            else:
                item_snippets.append((source, snippet))
        for source, snippet in project.field_snippets:
            text = f"{getattr(project, source)}\n{snippet.text}"
            setattr(project, source, text)
        moment = created
        for slot in range(rng.randint(1, 3)):
            moment += rng.randint(60, 3 * 3600)
            project.items.append(self._project_item(rng, project, slot, moment, "project_doc", []))
        for source, snippet in item_snippets:
            moment += rng.randint(60, 3600)
            kind = "project_doc" if source == "project_doc" else source.split(":")[1]
            slot = len(project.items)
            project.items.append(self._project_item(rng, project, slot, moment, kind, [snippet]))
        if not deleted and rng.random() < 0.4:
            moment += rng.randint(3600, DAY)
            item = self._project_item(rng, project, len(project.items), moment, "project_doc", [])
            item.deleted_at = moment + rng.randint(600, DAY)
            project.items.append(item)
        project.updated = max(
            [created]
            + [i.created for i in project.items]
            + [i.deleted_at or 0 for i in project.items]
        )
        if deleted:
            project.deleted_at = min(self.end, project.updated + rng.randint(DAY, 3 * DAY))
            project.updated = project.deleted_at
        return project

    def _project_item(
        self,
        rng: random.Random,
        project: Project,
        slot: int,
        created: int,
        kind: str,
        snippets: list[Snippet],
    ) -> ProjectItem:
        number = project.index << 8 | slot
        if kind == "project_doc":
            item_id = self.codec.encode("claude_proj_doc_", number)
            file_kind = rng.choice(("md", "txt"))
            item_kind = "project_doc"
        else:
            item_id = self.codec.encode("claude_file_", 1 << 62 | number)
            file_kind = kind
            item_kind = "project_file"
        filename = file_name(rng, project.topic, file_kind)
        locations = documents.locations(file_kind)
        placements = tuple((rng.choice(locations), snippet) for snippet in snippets)
        lang = self.users[project.user].lang
        spec = FileSpec(
            file_kind, filename, project.topic, lang, rng.getrandbits(32), created, placements
        )
        return ProjectItem(item_id, item_kind, spec, created, project.user)

    def _add_collaborators(self, rng: random.Random, project: Project) -> None:
        grants = [("user", self.users[project.user].id, "owner", project.created)]
        members = self.org_members[project.org]
        colleague = self.users[members[rng.randrange(len(members))]]
        if colleague.index != project.user:
            grants.append(("user", colleague.id, "editor", project.created + 3600))
        grants.append(("group", rng.choice(self.groups), "viewer", project.created + 7200))
        grants.append(("organization_role", "admin", "admin", project.created + 7300))
        if not project.is_private:
            grants.append(
                (
                    "organization",
                    self.org_by_index(project.org).uuid,
                    "viewer",
                    project.created + 60,
                )
            )
        project.collaborators = [
            Collaborator(kind, principal, role, granted, self.codec.uuid("grant", project.index, n))
            for n, (kind, principal, role, granted) in enumerate(grants)
        ]

    # --- chats ----------------------------------------------------------------------

    def _make_chats(self, rng: random.Random, count: int, mean_turns: float) -> None:
        chat_users = [
            u for u in self.users if any(self.orgs_has_chats(m.org) for m in u.memberships)
        ]
        plant_rate, decoy_rate = _PLANT_RATE[self.scale], _DECOY_RATE[self.scale]
        stop = 1.0 / mean_turns
        for _ in range(count):
            user = chat_users[rng.randrange(len(chat_users))]
            membership = user.memberships[rng.randrange(len(user.memberships))]
            created = self._working_time(rng, max(self.start, membership.joined))
            turns = 1
            while turns < 12 and rng.random() > stop:
                turns += 1
            span = self._span(rng, turns, created)
            project = self._project_for(rng, user, membership.org, created)
            attach = _attach_mask(rng, turns)
            index = self.chats.append(
                created, span, user.index, membership.org, project, turns, attach
            )
            if rng.random() < 0.03:
                deleted = created + span + rng.randint(600, 2 * DAY)
                if deleted > self.end:
                    deleted = rng.randint(created + span, self.end)
                self.chats.deleted[index] = deleted
                self.chats.updated[index] = deleted
                self.user_deleted_chats.append(index)
                continue
            self._plan_chat(rng, index, plant_rate, decoy_rate)
        needed = 2 * len(DETECTORS)
        for index in range(len(self.chats)):
            if self.plant_counter >= needed:
                break
            if self.chats.deleted[index] == 0 and not any(
                p.kind == "plant" for p in self.plans.get(index, ())
            ):
                self._plan_chat(rng, index, 1.0, 0.0)

    def orgs_has_chats(self, org: int) -> bool:
        return self.org_by_index(org).has_chats

    def _working_time(self, rng: random.Random, earliest: int) -> int:
        day = rng.randrange(max(1, (self.end - earliest) // DAY + 1))
        base = max(earliest, self.start) // DAY * DAY + day * DAY
        moment = base + int(rng.triangular(6, 21, 13) * 3600) + rng.randrange(3600)
        return min(max(moment, earliest), self.end - 3600)

    def _span(self, rng: random.Random, turns: int, created: int) -> int:
        roll = rng.random()
        if roll < 0.75:
            span = turns * rng.randint(40, 600)
        elif roll < 0.93:
            span = rng.randint(2 * 3600, 10 * 3600)
        else:
            span = rng.randint(DAY, 3 * DAY)
        return max(2 * turns * 5, min(span, self.end - created))

    def _project_for(self, rng: random.Random, user: User, org: int, created: int) -> int:
        """A project the user may chat in (org-visible or their own), or -1."""
        if rng.random() > 0.18:
            return -1
        project = self.projects[rng.randrange(len(self.projects))]
        usable = project.org == org and project.created < created and project.deleted_at is None
        return (
            project.index
            if usable and (not project.is_private or project.user == user.index)
            else -1
        )

    def _plan_chat(
        self, rng: random.Random, index: int, plant_rate: float, decoy_rate: float
    ) -> None:
        plans = list(self.plans.get(index, ()))
        if rng.random() < plant_rate:
            source, detector = self._next_plant(CHAT_SOURCES)
            if detector == "private_key" and source in _SINGLE_LINE_SOURCES:
                source = "msg_text"
            plans.append(Plan("plant", source, detector))
        if rng.random() < decoy_rate:
            number = self.decoy_counter
            self.decoy_counter += 1
            plans.append(
                Plan("decoy", DECOY_SOURCES[number % len(DECOY_SOURCES)], number % DECOY_KINDS)
            )
        if plans:
            self.plans[index] = tuple(plans)

    def add_chat(self, rng: random.Random, created: int, span: int) -> int:
        """Append one chat (a mutation); it is planted like generated chats of small scale."""
        user = self.users[rng.randrange(len(self.users))]
        membership = rng.choice(user.memberships)
        turns = rng.randint(1, 3)
        project = self._project_for(rng, user, membership.org, created)
        attach = _attach_mask(rng, turns)
        index = self.chats.append(created, span, user.index, membership.org, project, turns, attach)
        self._plan_chat(rng, index, 0.5, 0.2)
        return index

    def message_times(self, index: int) -> list[int]:
        """When each original message of chat ``index`` was sent (first = created, last = +span)."""
        rng = rng_for(self.seed, "times", index)
        count = 2 * self.chats.turns[index]
        created, span = self.chats.created[index], self.chats.span[index]
        weights = [
            rng.uniform(0.02, 0.1) if i % 2 else rng.uniform(0.3, 1.0) for i in range(1, count)
        ]
        total = sum(weights)
        moments, running = [created], 0.0
        for weight in weights:
            running += weight
            moments.append(max(moments[-1] + 1, created + round(span * running / total)))
        return moments

    def uploads(self, index: int) -> list[tuple[int, int, int]]:
        """(message ordinal, slot, upload time) of every file uploaded in chat ``index``."""
        planned = len({p.source for p in self.plans.get(index, ()) if p.source.startswith("file:")})
        mask = self.chats.attach[index]
        if not planned and not mask:
            return []
        moments = self.message_times(index)
        found = []
        for turn in range(self.chats.turns[index]):
            slots = (planned if turn == 0 else 0) + (mask >> turn & 1)
            found += [
                (2 * turn, slot, upload_time(moments[2 * turn], slot)) for slot in range(slots)
            ]
        return found

    def chat_id(self, index: int) -> str:
        return self.codec.encode("claude_chat_", index)

    def chat_index(self, chat_id: str) -> int | None:
        index = self.codec.decode("claude_chat_", chat_id)
        return index if index is not None and index < len(self.chats) else None

    def chat_profile(self, index: int) -> tuple[random.Random, str, str, str, str | None]:
        """(content rng, topic, language, title, model) of a chat; the rng continues from there."""
        rng = rng_for(self.seed, "chat", index)
        topic = rng.choice(content.TOPICS)
        lang = (
            self.users[self.chats.user[index]].lang
            if rng.random() < 0.8
            else content.language_for(rng)
        )
        title = content.chat_title(rng, topic, lang)
        model = None if rng.random() < 0.04 else rng.choice(_MODELS)
        return rng, topic, lang, title, model


def upload_time(message_time: int, slot: int) -> int:
    return message_time - 5 - 3 * slot


def _attach_mask(rng: random.Random, turns: int) -> int:
    return sum(1 << turn for turn in range(turns) if rng.random() < 0.12)


def _ascii(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss"))
    return decomposed.encode("ascii", "ignore").decode()


_FILE_STEMS = {
    "engineering": ("orders-api notes", "incident timeline", "deploy_plan"),
    "finance": ("Q3 reconciliation", "budget_2026", "Résumé financier"),
    "hr": ("offer letter", "onboarding checklist", "Gehaltsbänder"),
    "legal": ("MSA redlines", "dpa_summary", "契約書メモ"),
    "sales": ("renewal proposal", "pipeline_review", "propuesta_comercial"),
}


def file_name(rng: random.Random, topic: str, kind: str) -> str:
    if kind == "env":
        return ".env"
    stem = rng.choice(_FILE_STEMS[topic])
    return f"{stem}.{documents.KINDS[kind][0]}"


def random_file_kind(rng: random.Random) -> str:
    return rng.choice(_FILE_KINDS)
