"""The OpenAPI document of ``/api/v1/`` as a contract a generated client can trust (web.md 1.1).

django-ninja describes the paths from the views; what it cannot know is
completed here, from the same sources the rest of auditor publishes:

- the dataset (request body), the audit result, the comparison and the
  problem documents are the shipped JSON Schemas of :mod:`auditor.schemas`
  (``auditor schema input|result|comparison|problems``), hoisted into
  ``components``, so numbers are numbers, as the documents hold them, and
  the OpenAPI document cannot drift from those files;
- each download's media type, the ``copy`` enum, the ``Location`` header of
  an accepted upload, ``Retry-After`` of a 429, and a ``default`` error
  response (``{"error", "code"}``) on every operation, since any path can
  answer 404 or 405.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from ninja import NinjaAPI

from auditor import schemas

#: Published schema -> its component's name.
PUBLISHED = {
    "input": "Dataset",
    "result": "AuditResult",
    "comparison": "AuditComparison",
}
MEDIA = {
    "report.pdf": "application/pdf",
    "notices.pdf": "application/pdf",
    "findings.xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
ERROR_CODES = (
    "bad_request",
    "unauthorized",
    "not_found",
    "method_not_allowed",
    "conflict",
    "already_issued",
    "rendering",
    "too_large",
    "unprocessable",
    "rate_limited",
    "queue_full",
    "invalid_review",
    "invalid_issue",
    "not_done",
    "no_previous_audit",
    "other_licence",
    "wrong_order",
    "unknown_language",
    "language_not_issued",
    "storage_unavailable",
    "internal_error",
)
_REF = re.compile(r"^#/\$defs/(.+)$")


def _hoisted(schema: dict[str, Any], prefix: str, into: dict[str, Any]) -> dict[str, Any]:
    """``schema`` without its ``$defs`` (moved into ``into`` as ``prefix_name``), its refs
    rewritten to point there, and without the keys only a standalone schema has."""
    schema = copy.deepcopy(schema)
    definitions = schema.pop("$defs", {})

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and (found := _REF.match(ref)):
                node["$ref"] = f"#/components/schemas/{prefix}_{found.group(1)}"
            for value in node.values():
                rewrite(value)
        elif isinstance(node, list):
            for value in node:
                rewrite(value)
        return node

    for name, definition in definitions.items():
        into[f"{prefix}_{name}"] = rewrite(definition)
    for key in ("$schema", "$id"):
        schema.pop(key, None)
    return dict(rewrite(schema))


def _json(ref: str) -> dict[str, Any]:
    return {"application/json": {"schema": {"$ref": f"#/components/schemas/{ref}"}}}


def complete(document: dict[str, Any]) -> dict[str, Any]:
    """Ninja's document, completed as the module docstring says."""
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for name, component in PUBLISHED.items():
        components[component] = _hoisted(schemas.load(name), component, components)
    # One problem: an item of the audit-problems/1 document's list, as the CLI prints them.
    _hoisted(schemas.load("problems"), "ProblemDocument", components)
    document_schema = components["ProblemDocument_document"]
    components["Problem"] = copy.deepcopy(document_schema["properties"]["problems"]["items"])
    components["Error"] = {
        "type": "object",
        "required": ["error", "code"],
        "properties": {
            "error": {"type": "string", "description": "One plain sentence."},
            "code": {
                "type": "string",
                "description": "Stable; new codes may be added within /api/v1. Known: "
                + ", ".join(ERROR_CODES),
                "examples": ERROR_CODES,
            },
            "problems": {
                "type": "array",
                "items": {"$ref": "#/components/schemas/Problem"},
                "description": "invalid_review, invalid_issue: every problem of the body, located",
            },
            "issue": {
                "type": "object",
                "additionalProperties": True,
                "description": "already_issued: the audit's issue record (audit-issue/1) with its "
                "state, as GET .../issue.json gives it",
            },
        },
    }
    for path, operations in document.get("paths", {}).items():
        for method, operation in operations.items():
            _operation(path, method, operation)
    _prune(document)
    return document


def _prune(document: dict[str, Any]) -> None:
    """Drop the components no path uses: ninja's own rendering of the library's result
    models, replaced by the published schema (and with Decimals as strings)."""
    components = document["components"]["schemas"]
    used: set[str] = set()
    frontier: list[Any] = [document["paths"]]
    while frontier:
        node = frontier.pop()
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/components/schemas/"):
                name = ref.rsplit("/", 1)[-1]
                if name not in used and name in components:
                    used.add(name)
                    frontier.append(components[name])
            frontier.extend(node.values())
        elif isinstance(node, list):
            frontier.extend(node)
    for name in list(components):
        if name not in used:
            del components[name]


def _operation(path: str, method: str, operation: dict[str, Any]) -> None:
    # Ninja keys some responses by int: the document's keys are strings.
    responses = {str(status): value for status, value in operation.get("responses", {}).items()}
    operation["responses"] = responses
    responses.setdefault("default", {"description": "Any other error", "content": _json("Error")})
    for status, response in responses.items():
        if status.startswith(("4", "5")):
            response["content"] = _json("Error")
    for parameter in operation.get("parameters", []):
        if parameter.get("name") == "copy":
            parameter["schema"] = {"type": "string", "enum": ["inspector", "agency"]}
    leaf = path.rsplit("/", 1)[-1]
    ok = responses.get("200")
    if leaf in MEDIA and ok is not None:
        ok["content"] = {MEDIA[leaf]: {"schema": {"type": "string", "format": "binary"}}}
    if leaf == "comparison" and ok is not None:
        ok["content"] = _json("AuditComparison")
    if leaf == "result.json" and ok is not None:
        ok["content"] = _json("AuditResult")
    if path.endswith("/audits") and method == "post":
        body = operation.setdefault("requestBody", {}).setdefault("content", {})
        body["application/json"] = {"schema": {"$ref": "#/components/schemas/Dataset"}}
        location = {
            "description": "The audit's URL",
            "schema": {"type": "string", "format": "uri-reference"},
        }
        for status in ("200", "202"):
            if status in responses:
                responses[status].setdefault("headers", {})["Location"] = location
        responses["429"] = {
            "description": "The office's queue is full (code queue_full)",
            "headers": {"Retry-After": {"schema": {"type": "integer"}}},
            "content": _json("Error"),
        }


class ContractAPI(NinjaAPI):
    """A NinjaAPI whose OpenAPI document is :func:`complete`."""

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        document = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        return complete(document)
