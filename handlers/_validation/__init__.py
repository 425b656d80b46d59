"""Request validation: every error at once, as a field map.

Connexion's stock validation stops at the first error and reports it as a
formatted string. This package replaces its request-validation middleware with one
whose per-operation object is built once (validators compiled at start-up, no
per-request spec traversal) and which:

* validates every parameter and the JSON body, collecting all errors with their
  field names, then raises one :class:`ValidationFailed`;
* never buffers a raw (``format: binary``) or multipart body: it only peeks at
  the first chunk to see whether the body is empty, and hides form content types
  from Connexion so that it does not parse the upload as a form. The original ``Content-Type``
  stays available through :func:`raw_content_type`.

One concern per module:

* :mod:`._middleware`: the middleware, its API and per-operation objects;
* :mod:`._parameters`: parameter checks;
* :mod:`._bodies`: body checks (Djinn's JSON and forms, DjaoDjin's JSON, forms and
  multipart);
* :mod:`._streams`: ASGI body plumbing (peek, read, replay, Content-Type);
* :mod:`._djinn`: Djinn's field-map messages;
* :mod:`._drf`: DjaoDjin's messages, in Django REST Framework's words;
* :mod:`._schema`: the JSON Schema dialect (request and response validators) and
  reading its errors.
* :mod:`._compiled`: the same schemas compiled with ``jsonschema-rs``, which
  answers "valid?" first, so that only a refused body is walked in Python.

The names other modules import are re-exported here.
"""

from handlers._validation._bodies import FORM_TYPES, PARSED_BODY_KEY
from handlers._validation._djinn import collect_body_errors, describe, label_for
from handlers._validation._drf import collect_drf_errors, drf_describe
from handlers._validation._middleware import (
    FieldRequestValidationAPI,
    FieldRequestValidationMiddleware,
    FieldRequestValidationOperation,
)
from handlers._validation._parameters import PARSED_QUERY_KEY
from handlers._validation._schema import (
    VALIDATOR_MAP,
    RequestSchemaValidator,
    ResponseBodyValidator,
    ResponseSchemaValidator,
    ecma_regex,
)
from handlers._validation._streams import (
    MAX_JSON_BODY,
    RAW_CONTENT_TYPE_KEY,
    raw_content_type,
)

__all__ = [
    "FORM_TYPES",
    "MAX_JSON_BODY",
    "PARSED_BODY_KEY",
    "PARSED_QUERY_KEY",
    "RAW_CONTENT_TYPE_KEY",
    "VALIDATOR_MAP",
    "FieldRequestValidationAPI",
    "FieldRequestValidationMiddleware",
    "FieldRequestValidationOperation",
    "RequestSchemaValidator",
    "ResponseBodyValidator",
    "ResponseSchemaValidator",
    "collect_body_errors",
    "collect_drf_errors",
    "describe",
    "drf_describe",
    "ecma_regex",
    "label_for",
    "raw_content_type",
]
