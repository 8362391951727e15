"""One chat's messages, files, generated files and artifacts, built on demand.

Everything follows from (seed, chat index) plus the chat's metadata, so the
server can forget a chat and rebuild it identically. Planted values and
decoys named by the world's plan land in the places the plan says, and the
built chat lists them as :class:`PlantedValue` records.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from casb_pipeline.simulator import content, documents
from casb_pipeline.simulator.documents import FileSpec
from casb_pipeline.simulator.planted import PlantedValue, Snippet, decoy_snippet, planted_snippet
from casb_pipeline.simulator.world import Plan, World, file_name, random_file_kind, upload_time

LONG_RESULT_CHARS = 12_000
_GENERATED_KINDS = ("csv", "xlsx", "txt", "py", "png")
_ARTIFACT_TYPES = ("text/markdown", "application/vnd.ant.code", "text/html")


@dataclass(frozen=True)
class StoredFile:
    """An upload or a generated file: where it was referenced and how to build it."""

    id: str
    spec: FileSpec
    ordinal: int
    created: int
    expired: bool = False


@dataclass(frozen=True)
class ArtifactVersion:
    artifact_id: str
    version_id: str
    title: str
    artifact_type: str
    text: str
    created: int
    ordinal: int


@dataclass
class Message:
    ordinal: int
    id: str
    role: str
    created: int
    blocks: list[dict[str, object]]
    files: list[str] = field(default_factory=list)
    generated: list[str] = field(default_factory=list)
    artifacts: list[tuple[str, str]] = field(default_factory=list)


@dataclass
class ChatContent:
    index: int
    id: str
    title: str
    model: str | None
    messages: list[Message]
    files: dict[str, StoredFile]
    generated: dict[str, StoredFile]
    artifacts: dict[str, ArtifactVersion]
    planted: list[PlantedValue]
    decoys: list[PlantedValue]


def text_block(text: str) -> dict[str, object]:
    return {"type": "text", "text": text, "thinking_redacted": False, "truncated": False}


class _Builder:
    """Walks the turns of one chat, consuming its random stream in a fixed order."""

    def __init__(self, world: World, index: int) -> None:
        self.world = world
        self.index = index
        self.rng, self.topic, self.lang, self.title, self.model = world.chat_profile(index)
        self.chat_id = world.chat_id(index)
        project = world.chats.project[index]
        self.project_id = world.projects[project].id if project >= 0 else None
        self.user_id = world.users[world.chats.user[index]].id
        self.content = ChatContent(
            index, self.chat_id, self.title, self.model, [], {}, {}, {}, [], []
        )
        self.snippets: dict[str, list[Snippet]] = {}
        for plan in world.plans.get(index, ()):
            self.snippets.setdefault(plan.source, []).append(self._snippet(plan))

    def _snippet(self, plan: Plan) -> Snippet:
        if plan.kind == "plant":
            return planted_snippet(str(plan.what), self.rng, self.world.domain)
        return decoy_snippet(self.rng, int(plan.what))

    def take(self, source: str) -> list[Snippet]:
        return self.snippets.pop(source, [])

    def record(
        self, source_type: str, source_id: str, part: str | None, snippets: list[Snippet]
    ) -> None:
        for snippet in snippets:
            for detector, value in snippet.values:
                entry = PlantedValue(
                    source_type,
                    source_id,
                    part,
                    detector,
                    value,
                    self.chat_id,
                    self.project_id,
                    self.user_id,
                )
                (self.content.decoys if snippet.decoy else self.content.planted).append(entry)

    def number(self, ordinal: int, slot: int) -> int:
        return self.index << 20 | ordinal << 8 | slot

    # --- messages -------------------------------------------------------------------

    def user_message(self, ordinal: int, created: int, first: bool) -> Message:
        text = (
            content.user_prompt(self.rng, self.topic, self.lang)
            if first
            else content.follow_up(self.rng, self.lang)
        )
        message = Message(ordinal, self.message_id(ordinal), "user", created, [])
        if first:
            snippets = self.take("msg_text")
            text = "\n\n".join([text, *(s.text for s in snippets)])
            self.record("chat_message", message.id, None, snippets)
            for source in [s for s in self.snippets if s.startswith("file:")]:
                self.attach(message, documents_kind(source), self.take(source))
        if self.world.chats.attach[self.index] >> (ordinal // 2) & 1:
            self.attach(message, random_file_kind(self.rng), [])
        elif not first and self.content.files and self.rng.random() < 0.1:
            message.files.append(next(iter(self.content.files)))
        message.blocks.append(text_block(text))
        return message

    def attach(self, message: Message, kind: str, snippets: list[Snippet]) -> None:
        slot = len(message.files)
        file_id = self.world.codec.encode("claude_file_", self.number(message.ordinal, slot))
        spec = self.file_spec(kind, snippets, upload_time(message.created, slot))
        self.content.files[file_id] = StoredFile(file_id, spec, message.ordinal, spec.created)
        message.files.append(file_id)
        for where, snippet in spec.placements:
            self.record("chat_file", file_id, where, [snippet])

    def file_spec(self, kind: str, snippets: list[Snippet], created: int) -> FileSpec:
        locations = documents.locations(kind)
        placements = tuple((self.rng.choice(locations), snippet) for snippet in snippets)
        name = file_name(self.rng, self.topic, kind)
        return FileSpec(
            kind, name, self.topic, self.lang, self.rng.getrandbits(32), created, placements
        )

    def assistant_message(self, ordinal: int, created: int, first: bool) -> Message:
        message = Message(ordinal, self.message_id(ordinal), "assistant", created, [])
        wants_tool = first and any(
            s in self.snippets for s in ("tool_input", "tool_result", "gen_file")
        )
        if wants_tool or self.rng.random() < 0.3:
            self.tool_round(message, first)
        message.blocks.append(text_block(content.assistant_reply(self.rng, self.topic, self.lang)))
        self.artifact_step(message, first)
        return message

    def tool_round(self, message: Message, first: bool) -> None:
        code = (first and ("gen_file" in self.snippets or "tool_input" in self.snippets)) or (
            self.rng.random() < 0.5
        )
        if code:
            name, integration = "code_execution", None
            tool_input, result = content.code_execution(self.rng, self.topic)
        else:
            name, integration = "google_drive_search", "Google Drive"
            tool_input, result = content.drive_search(self.rng, self.topic)
        block = len(message.blocks)
        tool_id = self.world.codec.encode("toolu_", self.number(message.ordinal, block))
        if first:
            input_snippets = self.take("tool_input")
            if input_snippets:
                lines = "\n".join(f"# {s.text}" for s in input_snippets)
                tool_input = {**tool_input, "code": f"{lines}\n{tool_input.get('code', '')}"}
                if not code:
                    tool_input["query"] = input_snippets[0].text
            self.record("chat_message", message.id, None, input_snippets)
            result_snippets = self.take("tool_result")
            if result_snippets:
                long = self.rng.random() < 0.5
                padding = (
                    content.long_text(self.rng, self.topic, self.lang, LONG_RESULT_CHARS)
                    if long
                    else ""
                )
                result = "\n\n".join([result, padding, *(s.text for s in result_snippets)]).strip()
            self.record("chat_message", message.id, None, result_snippets)
        encoded = json.dumps(tool_input, ensure_ascii=False)
        message.blocks.append(
            {
                "type": "tool_use",
                "id": tool_id,
                "name": name,
                "input": encoded,
                "integration_name": integration,
                "mcp_server_url": None,
                "truncated": False,
            }
        )
        message.blocks.append(
            {
                "type": "tool_result",
                "tool_use_id": tool_id,
                "name": name,
                "is_error": False,
                "content": [{"type": "text", "text": result}],
                "integration_name": integration,
                "mcp_server_url": None,
                "truncated": False,
            }
        )
        if code and ((first and "gen_file" in self.snippets) or self.rng.random() < 0.3):
            self.generate(message, self.take("gen_file") if first else [])

    def generate(self, message: Message, snippets: list[Snippet]) -> None:
        kind = self.rng.choice(_GENERATED_KINDS[:4] if snippets else _GENERATED_KINDS)
        slot = len(message.generated)
        file_id = self.world.codec.encode("claude_gen_file_", self.number(message.ordinal, slot))
        spec = self.file_spec(kind, snippets, message.created)
        old = message.created < self.world.end - 7 * 86_400
        expired = not snippets and old and self.rng.random() < 0.15
        self.content.generated[file_id] = StoredFile(
            file_id, spec, message.ordinal, message.created, expired
        )
        message.generated.append(file_id)
        for where, snippet in spec.placements:
            self.record("generated_file", file_id, where, [snippet])

    def artifact_step(self, message: Message, first: bool) -> None:
        existing = list(self.content.artifacts.values())
        snippets = self.take("artifact") if first else []
        if snippets or (first and self.rng.random() < 0.12):
            slot = len(message.artifacts)
            artifact_id = self.world.codec.encode(
                "claude_artifact_", self.number(message.ordinal, slot)
            )
            kind = self.rng.choice(_ARTIFACT_TYPES)
            self.add_version(
                message,
                artifact_id,
                kind,
                content.chat_title(self.rng, self.topic, self.lang),
                snippets,
            )
        elif existing and self.rng.random() < 0.6:
            latest = existing[-1]
            self.add_version(message, latest.artifact_id, latest.artifact_type, latest.title, [])

    def add_version(
        self, message: Message, artifact_id: str, kind: str, title: str, snippets: list[Snippet]
    ) -> None:
        slot = len(message.artifacts)
        version_id = self.world.codec.encode(
            "claude_artifact_version_", self.number(message.ordinal, slot)
        )
        if kind == "application/vnd.ant.code":
            body = content.code_snippet(self.rng)
        elif kind == "text/html":
            body = (
                "<h1>"
                + title
                + "</h1>\n<p>"
                + content.paragraphs(self.rng, self.lang, 1)[0]
                + "</p>"
            )
        else:
            body = f"# {title}\n\n" + "\n\n".join(content.paragraphs(self.rng, self.lang, 2))
        text = "\n\n".join([body, *(s.text for s in snippets)])
        version = ArtifactVersion(
            artifact_id, version_id, title, kind, text, message.created, message.ordinal
        )
        self.content.artifacts[version_id] = version
        message.artifacts.append((artifact_id, version_id))
        self.record("artifact", version_id, None, snippets)

    def message_id(self, ordinal: int) -> str:
        return self.world.codec.encode("claude_chat_msg_", self.index << 12 | ordinal)

    def build(self, appended: tuple[tuple[int, str], ...]) -> ChatContent:
        moments = self.world.message_times(self.index)
        for turn in range(len(moments) // 2):
            first = turn == 0
            user = self.user_message(2 * turn, moments[2 * turn], first)
            reply = self.assistant_message(2 * turn + 1, moments[2 * turn + 1], first)
            self.content.messages += [user, reply]
        if self.snippets:
            raise RuntimeError(
                f"chat {self.index}: snippets left unplaced for {sorted(self.snippets)}"
            )
        for offset, (moment, text) in enumerate(appended):
            ordinal = len(moments) + offset
            message = Message(ordinal, self.message_id(ordinal), "user", moment, [text_block(text)])
            self.content.messages.append(message)
        return self.content


def documents_kind(source: str) -> str:
    return source.split(":", 1)[1]


def build_chat(world: World, index: int, appended: tuple[tuple[int, str], ...] = ()) -> ChatContent:
    """The full content of chat ``index`` plus mutation-appended ``(time, text)`` messages."""
    return _Builder(world, index).build(appended)


def owner_chat(world: World, prefix: str, item_id: str) -> int | None:
    """The chat index encoded in a chat file, generated file or artifact version id."""
    number = world.codec.decode(prefix, item_id)
    if number is None or number >> 62:
        return None
    index = number >> 20
    return index if index < len(world.chats) else None
