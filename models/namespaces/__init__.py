"""Namespaces: trees of up to :data:`MAX_DEPTH` levels, shared through collaborators.

A tree has one owner: every node has the root's ``user_id`` and, always, the
root's ``visibility`` (a root's change is written to the whole tree). A root's
``root_id`` is its own id. Collaborators belong to the root and reach the whole
tree. Who may see or change what is decided in :mod:`models.access`; this package
holds the rows and their queries, one concern a module: the tables and name rules
(:mod:`~models.namespaces.tables`), reads (:mod:`~models.namespaces.reads`),
writes (:mod:`~models.namespaces.writes`) and collaborators
(:mod:`~models.namespaces.collaborators`). Import them from here.
"""

from models.namespaces.collaborators import (
    add_collaborator,
    collaborates,
    collaborators,
    is_collaborator,
    remove_collaborator,
)
from models.namespaces.reads import (
    _BY_ID,
    BUILD_COLUMNS,
    DETAIL_ROWS,
    NAMESPACE_COLUMNS,
    Lock,
    builds,
    by_paths,
    children,
    detail,
    detail_page,
    find,
    listed,
    lock,
    user_id_of,
)
from models.namespaces.tables import (
    MAX_DEPTH,
    NAME_MAX,
    NAME_MIN,
    NAME_PATTERN,
    VISIBILITIES,
    Collaborator,
    NamesClash,
    Namespace,
    NameTaken,
    like_pattern,
    name_problem,
)
from models.namespaces.writes import (
    NAMED_RESOURCES,
    NamedResource,
    change,
    create,
    remove_subtree,
    subtree_ids,
)

__all__ = [
    "BUILD_COLUMNS",
    "DETAIL_ROWS",
    "MAX_DEPTH",
    "NAMED_RESOURCES",
    "NAMESPACE_COLUMNS",
    "NAME_MAX",
    "NAME_MIN",
    "NAME_PATTERN",
    "VISIBILITIES",
    "_BY_ID",
    "Collaborator",
    "Lock",
    "NameTaken",
    "NamedResource",
    "NamesClash",
    "Namespace",
    "add_collaborator",
    "builds",
    "by_paths",
    "change",
    "children",
    "collaborates",
    "collaborators",
    "create",
    "detail",
    "detail_page",
    "find",
    "is_collaborator",
    "like_pattern",
    "listed",
    "lock",
    "name_problem",
    "remove_collaborator",
    "remove_subtree",
    "subtree_ids",
    "user_id_of",
]
