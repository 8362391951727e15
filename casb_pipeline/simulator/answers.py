"""The answer key: every planted value and decoy with the record and part holding it."""

from __future__ import annotations

from casb_pipeline.simulator.chats import build_chat
from casb_pipeline.simulator.config import SimulatorConfig
from casb_pipeline.simulator.planted import AnswerKey, PlantedValue
from casb_pipeline.simulator.world import World


def build_answer_key(config: SimulatorConfig) -> AnswerKey:
    world = World(config)
    planted: list[PlantedValue] = []
    decoys: list[PlantedValue] = []
    for index in sorted(world.plans):
        chat = build_chat(world, index)
        planted += chat.planted
        decoys += chat.decoys
    for project in world.projects:
        owner = world.users[project.user].id
        for part, snippet in project.field_snippets:
            for detector, value in snippet.values:
                planted.append(
                    PlantedValue(
                        "project", project.id, part, detector, value, None, project.id, owner
                    )
                )
        for item in project.items:
            for part, snippet in item.spec.placements:
                for detector, value in snippet.values:
                    planted.append(
                        PlantedValue(
                            "project_attachment",
                            item.id,
                            part,
                            detector,
                            value,
                            None,
                            project.id,
                            owner,
                        )
                    )
    return AnswerKey(tuple(planted), tuple(decoys), world.first_day, world.last_day)
