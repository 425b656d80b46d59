"""Parameter checks: every query, path, header and cookie parameter of an
operation against its schema, validators compiled once, every error collected in
the API's wording (:mod:`._djinn` or :mod:`._drf`)."""

from __future__ import annotations

from typing import Any

from connexion.lifecycle import ConnexionRequest
from connexion.operations import AbstractOperation
from starlette.types import Scope

from handlers._errors import FieldErrors
from handlers._validation._djinn import describe, label_for
from handlers._validation._drf import drf_describe
from handlers._validation._schema import FORMAT_CHECKER, RequestSchemaValidator

#: Where the checks leave the query parameters they resolved (by the operation's
#: URI parser, as Connexion's parameter decorator would again) for the handler's
#: arguments: the query is parsed once per request.
PARSED_QUERY_KEY = "genie.query"

#: Parameter types an empty value cannot be.
_ARTICLES_BY_TYPE = {"integer": "an integer", "number": "a number", "boolean": "a boolean"}


class Parameter:
    """One parameter of an operation, its label and validator made once."""

    __slots__ = ("label", "location", "name", "required", "schema", "validator")

    def __init__(self, spec: dict[str, Any]) -> None:
        self.name: str = spec["name"]
        self.location: str = spec["in"]
        self.required: bool = bool(spec.get("required"))
        self.schema: dict[str, Any] = spec.get("schema", {})
        self.label = label_for(self.name, {**self.schema, **spec})
        self.validator = RequestSchemaValidator(self.schema, format_checker=FORMAT_CHECKER)


class ParameterChecks:
    """The checks of one operation's parameters; calling it adds their errors."""

    def __init__(self, operation: AbstractOperation, *, drf: bool) -> None:
        self._drf = drf
        self._uri_parser = operation.uri_parser_class(
            operation.parameters, operation.body_definition()
        )
        self._parameters = [Parameter(p) for p in operation.parameters]
        self._has_query = any(p.location == "query" for p in self._parameters)

    def __call__(self, scope: Scope, errors: FieldErrors) -> None:
        if not self._parameters:
            return
        request = ConnexionRequest(scope, uri_parser=self._uri_parser)
        query = {}
        if self._has_query:
            query = scope[PARSED_QUERY_KEY] = request.query_params
        for param in self._parameters:
            if param.location == "query":
                value = query.get(param.name)
            elif param.location == "path":
                value = request.path_params.get(param.name.replace("-", "_"))
            elif param.location == "header":
                value = request.headers.get(param.name)
            else:
                value = request.cookies.get(param.name)
            if absent(param, value, errors):
                continue
            for error in param.validator.iter_errors(value):
                if self._drf:
                    errors.add(param.name, drf_describe(error))
                else:
                    errors.add(param.name, describe(error, param.label, in_body=False))


def absent(param: Parameter, value: str | None, errors: FieldErrors) -> bool:
    """Whether a parameter counts as not sent, noting the error when one is owed.

    An empty value (``?search=``) means "no filter" for free text, but it is not
    absent where no empty value is valid: a required parameter, a number
    (``?page=``: Connexion would crash on it) or a choice from an enum
    (``?status=``, which is left for the schema to refuse by its enum).
    """
    if value is not None and value != "":
        return False
    if param.required:
        errors.add(param.name, f"{param.label} field required")
        return True
    if value is None:
        return True
    kind = param.schema.get("type")
    if kind in _ARTICLES_BY_TYPE:
        errors.add(param.name, f"{param.label} must be {_ARTICLES_BY_TYPE[kind]}")
        return True
    return "enum" not in param.schema
