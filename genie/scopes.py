"""Djinn token scopes: ``resource:perm[,perm]`` items separated by spaces.

Repeats merge, and the text form lists permissions as read, write, delete.
"""

from __future__ import annotations

from functools import lru_cache

RESOURCES = (
    "build",
    "invite",
    "image",
    "namespace",
    "object",
    "variable",
    "key",
    "cron",
    "webhook",
)
PERMISSIONS = ("read", "write", "delete")
ALL_SCOPES = frozenset(f"{r}:{p}" for r in RESOURCES for p in PERMISSIONS)


class ScopeError(ValueError):
    """The scope text does not parse."""


@lru_cache(maxsize=1024)
def parse(text: str) -> frozenset[str]:
    """Parse scope text into a set of ``resource:perm`` strings."""
    scopes: set[str] = set()
    for item in text.split():
        resource, sep, perms = item.partition(":")
        if not sep:
            raise ScopeError(f"invalid scope item {item!r}: expected resource:perm[,perm]")
        if resource not in RESOURCES:
            raise ScopeError(f"unknown resource: {resource}")
        if not perms:
            raise ScopeError(f"invalid scope item {item!r}: no permission given")
        for perm in perms.split(","):
            if perm not in PERMISSIONS:
                raise ScopeError(f"unknown permission: {perm}")
            scopes.add(f"{resource}:{perm}")
    return frozenset(scopes)


def format_scopes(scopes: frozenset[str] | set[str]) -> str:
    """The canonical text form, resources in Djinn's order."""
    items = []
    for resource in RESOURCES:
        perms = [p for p in PERMISSIONS if f"{resource}:{p}" in scopes]
        if perms:
            items.append(f"{resource}:{','.join(perms)}")
    return " ".join(items)
