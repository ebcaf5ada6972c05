"""JSON Schemas of the files socwizard reads, generated from the models."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from socwizard.core.assessment import Assessment
from socwizard.core.bank.models import BankMeta, RuleFile, SectionFile

KINDS = ("bank", "section", "rules", "assessment")


def schema(kind: str) -> dict[str, Any]:
    """The JSON Schema of one file kind."""
    models: dict[str, type[BaseModel]] = {
        "bank": BankMeta,
        "section": SectionFile,
        "rules": RuleFile,
        "assessment": Assessment,
    }
    data: dict[str, Any] = models[kind].model_json_schema(mode="validation")
    data["$schema"] = "https://json-schema.org/draft/2020-12/schema"
    data["$id"] = f"https://socwizard.dev/schemas/{kind}.schema.json"
    return data
