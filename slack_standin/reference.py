"""Slack's method reference as condensed by ``build_reference`` into ``reference.json``."""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class MethodSpec:
    name: str
    required: tuple[str, ...]
    tier: str | None
    errors: frozenset[str]
    auth: bool = True


@functools.cache
def load_reference() -> dict[str, MethodSpec]:
    """Every Web API method Slack documents, keyed by name (read once per process)."""
    text = resources.files("slack_standin").joinpath("reference.json").read_text(encoding="utf-8")
    return {
        name: MethodSpec(
            name=name,
            required=tuple(entry["required"]),
            tier=entry["tier"],
            errors=frozenset(entry["errors"]),
            auth=entry.get("auth", True),
        )
        for name, entry in json.loads(text).items()
    }
