"""The methods each path of the specs allows (the ``Allow`` header of a 405)."""

from __future__ import annotations

import re
from typing import Any

HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")


class AllowedMethods:
    """The methods each path of the specs allows, for the ``Allow`` header of a 405.

    Connexion registers one route per method, so Starlette's 405 names only one.
    When several templates match a path (a ``format: path`` parameter matches
    ``a/-/webhooks`` too), the most specific ones win: those with the most literal
    characters, as ``/n/{username}/{path}/-/webhooks`` over ``/n/{username}/{path}``.
    """

    def __init__(self) -> None:
        self._routes: list[tuple[re.Pattern[str], list[str], int]] = []

    def add_spec(self, spec: dict[str, Any], base_path: str) -> None:
        for template, item in (spec.get("paths") or {}).items():
            methods = [m.upper() for m in HTTP_METHODS if m in item]
            if "GET" in methods and "HEAD" not in methods:
                methods.append("HEAD")
            literal = len(re.sub(r"\{[^}]+\}", "", template))
            self._routes.append((self._compile(base_path + template, item), methods, literal))

    @staticmethod
    def _compile(template: str, item: dict[str, Any]) -> re.Pattern[str]:
        path_like = {
            p["name"]
            for op in [item, *(v for k, v in item.items() if k in HTTP_METHODS)]
            for p in op.get("parameters", [])
            if isinstance(p, dict) and p.get("schema", {}).get("format") == "path"
        }
        pattern = ""
        for part in re.split(r"(\{[^}]+\})", template):
            if part.startswith("{"):
                pattern += ".+" if part[1:-1] in path_like else "[^/]+"
            else:
                pattern += re.escape(part)
        # The whole path, newlines included (as genie.routing matches routes).
        return re.compile(f"^{pattern}\\Z", re.DOTALL)

    def for_path(self, path: str) -> list[str]:
        matching = [(m, n) for pattern, m, n in self._routes if pattern.match(path)]
        best = max((n for _, n in matching), default=0)
        found: list[str] = []
        for methods, literal in matching:
            if literal == best:
                found.extend(m for m in methods if m not in found)
        return found
