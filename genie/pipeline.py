"""Each operation's layers call one another directly, without looking it up again.

Connexion's routing middleware records which operation a request is for. Each
routed middleware after it (security, request validation, response validation,
context) and the app at the end then look that operation up again, by API base
path and operation id, and call their own object for it, which calls the next
middleware, which looks it up again. Between two of them sits the lifespan
middleware, which passes HTTP requests on untouched.

:func:`link_operations` points each layer's object for an operation straight at
the next layer's object for the same operation, once, when the stack is built.
The look-ups it skips would have found exactly those objects; a layer that
passes the operation on (the lifespan middleware; the response validation,
whose object for an operation is its next app when it is off) is stepped over as
it would have been. Where the next step is anything else (another middleware, an
operation a layer does not know), the link is left as Connexion made it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from connexion.middleware.abstract import RoutedMiddleware
from connexion.middleware.lifespan import LifespanMiddleware


def _operation_after(layer: RoutedMiddleware[Any], base_path: str, operation_id: str) -> Any:
    """The object the request for ``operation_id`` reaches after ``layer``'s own,
    or None where that is not a per-operation object found by a look-up."""
    app: Any = layer.app
    while True:
        if isinstance(app, LifespanMiddleware):
            app = app.next_app
            continue
        if not isinstance(app, RoutedMiddleware):
            return None
        apis = app.apis.get(base_path)
        if not apis:
            app = app.app  # no API here: the middleware passes the request on
            continue
        found = next(
            (api.operations[operation_id] for api in apis if operation_id in api.operations), None
        )
        if found is None:
            return None  # Connexion answers MissingOperation: left to it
        if found is app.app:  # an operation that is the next app: a pass-through
            app = app.app
            continue
        return found


def link_operations(apps: Iterable[Any]) -> int:
    """Link every routed middleware's operations in ``apps`` (Connexion's built
    stack) to the next layer's; returns how many links were made. Idempotent."""
    linked = 0
    for layer in apps:
        if not isinstance(layer, RoutedMiddleware):
            continue
        for base_path, apis in layer.apis.items():
            for api in apis:
                for operation_id, operation in api.operations.items():
                    if getattr(operation, "next_app", None) is not layer.app:
                        continue  # not an object of this layer that calls on
                    target = _operation_after(layer, base_path, operation_id)
                    if target is not None:
                        operation.next_app = target
                        linked += 1
    return linked
