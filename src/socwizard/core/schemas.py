"""JSON Schemas of the files socwizard reads, generated from the models.

Field docstrings become schema descriptions here, at generation time, rather than
through pydantic's ``use_attribute_docstrings`` — that option reads and compiles every
model's source at import, which cost ~60 ms on every command (see BENCHMARKS.md).
"""

from __future__ import annotations

import ast
import inspect
import itertools
import textwrap
from typing import Any

from pydantic import BaseModel

from socwizard.core import answers, assessment
from socwizard.core.bank import conditions, models

KINDS = ("bank", "section", "rules", "assessment")
_MODULES = (models, conditions, assessment, answers)


def _models_by_name() -> dict[str, type[BaseModel]]:
    found: dict[str, type[BaseModel]] = {}
    for module in _MODULES:
        for value in vars(module).values():
            if isinstance(value, type) and issubclass(value, BaseModel) and value is not BaseModel:
                found.setdefault(value.__name__, value)
    return found


def _attribute_docs(cls: type) -> dict[str, str]:
    """``field: type`` followed by a string literal → {field: docstring}, bases included."""
    docs: dict[str, str] = {}
    for klass in reversed(cls.__mro__):
        if klass in (object, BaseModel) or not issubclass(klass, BaseModel):
            continue
        try:
            tree = ast.parse(textwrap.dedent(inspect.getsource(klass)))
        except (OSError, TypeError, SyntaxError):
            continue
        body = tree.body[0].body if tree.body and isinstance(tree.body[0], ast.ClassDef) else []
        for node, following in itertools.pairwise(body):
            if (
                isinstance(node, ast.AnnAssign)
                and isinstance(node.target, ast.Name)
                and isinstance(following, ast.Expr)
                and isinstance(following.value, ast.Constant)
                and isinstance(following.value.value, str)
            ):
                docs[node.target.id] = inspect.cleandoc(following.value.value)
    return docs


def _describe(definition: dict[str, Any], cls: type[BaseModel]) -> None:
    docs = _attribute_docs(cls)
    aliases = {(f.alias or name): name for name, f in cls.model_fields.items()}
    for prop, prop_schema in definition.get("properties", {}).items():
        doc = docs.get(aliases.get(prop, prop))
        if doc and isinstance(prop_schema, dict) and "description" not in prop_schema:
            prop_schema["description"] = doc


POLICY_REFERENCE: dict[str, Any] = {
    "type": "string",
    "pattern": "^policy:[A-Za-z0-9_-]+$",
    "description": "A value from the bank's [policy] table (an organisation may override it).",
}


def _accept_policy_references(node: Any) -> None:
    """Every field value may be ``"policy:name"``: the loader substitutes it before validation.

    (issue 9: ``plus_months = "policy:review_months_high"`` in the built-in bank failed
    the bank schema.) Object-typed values are left alone; they are tables, not values.
    """
    if not isinstance(node, dict):
        return
    for key in ("properties", "patternProperties", "$defs"):
        children = node.get(key)
        if isinstance(children, dict):
            for name, child in children.items():
                if key != "$defs" and _is_leaf(child):
                    children[name] = {"anyOf": [child, POLICY_REFERENCE]}
                else:
                    _accept_policy_references(child)
    for key in ("items", "additionalProperties"):
        child = node.get(key)
        if isinstance(child, dict):
            if _is_leaf(child):
                node[key] = {"anyOf": [child, POLICY_REFERENCE]}
            else:
                _accept_policy_references(child)
    for key in ("anyOf", "oneOf", "allOf"):
        for child in node.get(key, []):
            _accept_policy_references(child)


def _is_leaf(node: Any) -> bool:
    """A schema for a plain value (number, bool, text, list), not a table or a reference."""
    if not isinstance(node, dict) or "$ref" in node:
        return False
    kind = node.get("type")
    if kind in ("integer", "number", "boolean", "string", "array"):
        return True
    members = node.get("anyOf")
    return isinstance(members, list) and all(_is_leaf(m) or m == {"type": "null"} for m in members)


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind."""
    roots: dict[str, type[BaseModel]] = {
        "bank": models.BankMeta,
        "section": models.SectionFile,
        "rules": models.RuleFile,
        "assessment": assessment.Assessment,
    }
    root = roots[kind]
    data: dict[str, Any] = root.model_json_schema(mode="validation")
    by_name = _models_by_name()
    _describe(data, root)
    for name, definition in data.get("$defs", {}).items():
        cls = by_name.get(name)
        if cls is not None:
            _describe(definition, cls)
    if kind == "assessment":
        # Every form the reader accepts: a plain value too, not only the table form
        # pydantic describes (issue 9: every plain answer failed every validator).
        from socwizard.core.answer_schema import generic_answer

        data["$defs"]["Answer"] = generic_answer()
    else:
        _accept_policy_references(data)
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = f"https://socwizard.dev/schemas/{kind}.schema.json"
    return data
