"""Sections that upper apps add to the profile page (users sits below kam, so this tiny
registry lives here): `fetch(*, user)` returns the context of `template`, rendered in
its own card below the user's details."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ProfileSection:
    key: str
    fetch: Callable[..., dict[str, Any]]
    template: str
    order: int = 100


_sections: dict[str, ProfileSection] = {}


def register(section: ProfileSection) -> None:
    if section.key in _sections:
        raise ValueError(f"profile sections: {section.key!r} is registered already")
    _sections[section.key] = section


def sections_for(user) -> list[tuple[str, dict[str, Any]]]:
    """(template, context) of every section, in order."""
    ordered = sorted(_sections.values(), key=lambda section: (section.order, section.key))
    return [(section.template, section.fetch(user=user)) for section in ordered]
