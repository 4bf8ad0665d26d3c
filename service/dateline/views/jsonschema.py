"""Marshmallow schemas as JSON Schema (draft 2020-12).

One converter for both published forms of the contract: the ``schemas/*.json`` files
(:mod:`dateline.views.contract`) and the components of the OpenAPI 3.1 document
(:mod:`dateline.views.openapi`), whose schemas are JSON Schema 2020-12 too. Only the field kinds and
validators our schemas use are mapped, and an unknown field kind is an error rather than a silently
permissive ``{}``: the files are a contract.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from marshmallow import Schema, fields, missing, validate

JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: scalar field kinds and their JSON Schema; the first kind the field is an instance of wins
SCALARS: tuple[tuple[type[fields.Field], dict[str, Any]], ...] = (
    (fields.Date, {"type": "string", "format": "date"}),
    (fields.DateTime, {"type": "string", "format": "date-time"}),
    (fields.Boolean, {"type": "boolean"}),
    (fields.Integer, {"type": "integer"}),
    (fields.Number, {"type": "number"}),
    (fields.String, {"type": "string"}),
)


def _bounds(low: Any, high: Any, low_key: str, high_key: str) -> dict[str, Any]:
    out = {}
    if low is not None:
        out[low_key] = low
    if high is not None:
        out[high_key] = high
    return out


#: validator kinds and the JSON Schema keywords they become (other validators add nothing)
VALIDATORS: tuple[tuple[type[Any], Callable[[Any], dict[str, Any]]], ...] = (
    (validate.OneOf, lambda v: {"enum": list(v.choices)}),
    (validate.Range, lambda v: _bounds(v.min, v.max, "minimum", "maximum")),
    (validate.Length, lambda v: _bounds(v.min, v.max, "minLength", "maxLength")),
    (validate.Regexp, lambda v: {"pattern": v.regex.pattern}),
)


def _validator_keywords(validator: Any) -> dict[str, Any]:
    convert = next((fn for kind, fn in VALIDATORS if isinstance(validator, kind)), None)
    return convert(validator) if convert is not None else {}


def _def_name(schema: type[Schema]) -> str:
    name = schema.__name__
    return name[: -len("Schema")] if name.endswith("Schema") and name != "Schema" else name


def _nullable(spec: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in spec:
        return {"anyOf": [spec, {"type": "null"}]}
    out = dict(spec)
    kind = out.get("type")
    if isinstance(kind, str):
        out["type"] = [kind, "null"]
    if "enum" in out:
        out["enum"] = [*out["enum"], None]
    if "oneOf" in out:
        out["oneOf"] = [*out["oneOf"], {"type": "null"}]
    return out


class JsonSchemaConverter:
    """Walks marshmallow fields into JSON Schema; nested schemas become ``$defs`` entries (or, with
    another ``ref_prefix``, OpenAPI components)."""

    def __init__(self, ref_prefix: str = "#/$defs/") -> None:
        self.defs: dict[str, dict[str, Any]] = {}
        self._owner: dict[str, type[Schema]] = {}
        self.ref_prefix = ref_prefix

    def document(self, schema: type[Schema], title: str) -> dict[str, Any]:
        body = self.object(schema)
        out: dict[str, Any] = {"$schema": JSON_SCHEMA_DIALECT, "title": title}
        out.update(body)
        if self.defs:
            out["$defs"] = dict(sorted(self.defs.items()))
        return out

    def object(self, schema: type[Schema]) -> dict[str, Any]:
        out: dict[str, Any] = {"type": "object"}
        if schema.__doc__:
            out["description"] = " ".join(schema.__doc__.split())
        props: dict[str, Any] = {}
        required: list[str] = []
        for name, fld in schema().fields.items():  # an instance: Meta.exclude is applied
            key = fld.data_key or name
            props[key] = self.field(fld)
            if fld.required:
                required.append(key)
        out["properties"] = props
        if required:
            out["required"] = required
        out["additionalProperties"] = bool(getattr(schema, "json_schema_open", False))
        out.update(getattr(schema, "json_schema_extra", {}))
        return out

    def ref(self, schema: type[Schema]) -> dict[str, Any]:
        name = _def_name(schema)
        owner = self._owner.get(name)
        if owner is not None and owner is not schema:
            raise ValueError(f"two schemas map to the JSON Schema definition {name!r}")
        if owner is None:
            self._owner[name] = schema
            self.defs[name] = {}  # placeholder first: allows recursive schemas
            self.defs[name] = self.object(schema)
        return {"$ref": f"{self.ref_prefix}{name}"}

    def field(self, fld: fields.Field) -> dict[str, Any]:
        """The field's kind, then what its validators, default and metadata add; null if allowed."""
        spec = self.kind(fld)
        for validator in fld.validators:
            spec.update(_validator_keywords(validator))
        if fld.load_default is not None and not callable(fld.load_default) and fld.load_default != missing:
            spec["default"] = fld.load_default
        if "pattern" in fld.metadata:
            spec["pattern"] = fld.metadata["pattern"]
        if "enum_descriptions" in fld.metadata:  # an enum with a description of each value
            described = fld.metadata["enum_descriptions"]
            spec["oneOf"] = [{"const": value, "description": described[value]} for value in spec["enum"]]
        description = fld.metadata.get("description")
        if description:
            spec = {"description": description, **spec}
        return _nullable(spec) if fld.allow_none else spec

    def kind(self, fld: fields.Field) -> dict[str, Any]:
        """The JSON Schema of the field's kind alone: containers through this converter, scalars from
        :data:`SCALARS`."""
        if isinstance(fld, fields.Nested):
            return self.nested(fld)
        if isinstance(fld, fields.List):
            return {"type": "array", "items": self.field(fld.inner)}
        if isinstance(fld, fields.Dict):
            spec: dict[str, Any] = {"type": "object"}
            if fld.value_field is not None:
                spec["additionalProperties"] = self.field(fld.value_field)
            return spec
        scalar = next((spec for kind, spec in SCALARS if isinstance(fld, kind)), None)
        if scalar is None:
            raise TypeError(f"no JSON Schema mapping for {type(fld).__name__}")
        return dict(scalar)

    def nested(self, fld: fields.Nested) -> dict[str, Any]:
        nested = fld.nested
        if isinstance(nested, Schema):
            nested = type(nested)
        if not (isinstance(nested, type) and issubclass(nested, Schema)):
            raise TypeError(f"unsupported Nested target {nested!r}")
        spec = self.ref(nested)
        return {"type": "array", "items": spec} if fld.many else spec


def json_schema(schema: type[Schema], title: str) -> dict[str, Any]:
    """One self-contained JSON Schema document (draft 2020-12) for ``schema``."""
    return JsonSchemaConverter().document(schema, title)
