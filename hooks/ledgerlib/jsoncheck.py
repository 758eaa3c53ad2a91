"""Checks published ledger data against the shipped JSON Schema, without a library.

The runtime reads data from elsewhere (a unit's published ``data/ledger.json``,
a file given to ``ledger.py import``), so it must refuse what does not fit
the schema, with every fault at once and in Chinese. The schema itself
(``schema/ledger.schema.json``) is the one description of the format: this
module interprets the part of JSON Schema it uses (type, const, enum,
required, properties, additionalProperties, items, minItems, minimum,
maximum, pattern, oneOf); the tests check the same files with ``jsonschema``.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
_TYPES = {"object": dict, "array": list, "string": str, "boolean": bool, "null": type(None)}
_TYPE_NAMES = {"object": "对象", "array": "列表", "string": "文本", "boolean": "true/false", "null": "null",
               "integer": "整数", "number": "数字"}
MAX_ERRORS = 50  # a file of another kind would list one error per key otherwise


@functools.cache
def schema(name: str = "ledger.schema.json") -> dict:
    return json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))


def check(data, name: str = "ledger.schema.json") -> list[str]:
    """Every place where ``data`` departs from the schema, as "位置: 说明"."""
    errors: list[str] = []
    _check(data, schema(name), "$", errors)
    return errors[:MAX_ERRORS]


def _type_ok(value, kind: str) -> bool:
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "number":
        return isinstance(value, int | float) and not isinstance(value, bool)
    return isinstance(value, _TYPES[kind])


def _check(value, rule: dict, where: str, errors: list[str]) -> None:
    if len(errors) >= MAX_ERRORS:
        return
    if "oneOf" in rule:
        fits = [r for r in rule["oneOf"] if not _errors_of(value, r, where)]
        if len(fits) != 1:
            found = [e for r in rule["oneOf"] for e in _errors_of(value, r, where)]
            errors.append(found[-1] if found else f"{where}: 不符合任何一种允许的写法。")
        return
    kinds = rule.get("type")
    if kinds is not None:
        kinds = [kinds] if isinstance(kinds, str) else kinds
        if not any(_type_ok(value, k) for k in kinds):
            errors.append(f"{where}: 应为{'或'.join(_TYPE_NAMES[k] for k in kinds)}，实为 {_show(value)}。")
            return
    if "const" in rule and value != rule["const"]:
        errors.append(f"{where}: 应为 {_show(rule['const'])}，实为 {_show(value)}（数据格式版本不同？）。")
    if "enum" in rule and value not in rule["enum"]:
        errors.append(f"{where}: “{value}”不是可用的值；可用：{'、'.join(map(str, rule['enum']))}。")
    if isinstance(value, str) and "pattern" in rule and not re.search(rule["pattern"], value):
        errors.append(f"{where}: “{value}”格式不对。")
    if isinstance(value, int | float) and not isinstance(value, bool):
        if "minimum" in rule and value < rule["minimum"]:
            errors.append(f"{where}: {value} 小于 {rule['minimum']}。")
        if "maximum" in rule and value > rule["maximum"]:
            errors.append(f"{where}: {value} 大于 {rule['maximum']}。")
    if isinstance(value, dict):
        _check_object(value, rule, where, errors)
    if isinstance(value, list):
        if len(value) < rule.get("minItems", 0):
            errors.append(f"{where}: 至少要有 {rule['minItems']} 项。")
        for n, item in enumerate(value):
            if "items" in rule:
                _check(item, rule["items"], f"{where}[{n}]", errors)


def _check_object(value: dict, rule: dict, where: str, errors: list[str]) -> None:
    props = rule.get("properties", {})
    for key in rule.get("required", ()):
        if key not in value:
            errors.append(f"{where}: 缺少字段“{key}”。")
    extra = rule.get("additionalProperties", True)
    for key, item in value.items():
        if key in props:
            _check(item, props[key], f"{where}.{key}", errors)
        elif extra is False:
            errors.append(f"{where}: 未知字段“{key}”。")
        elif isinstance(extra, dict):
            _check(item, extra, f"{where}.{key}", errors)


def _errors_of(value, rule: dict, where: str) -> list[str]:
    found: list[str] = []
    _check(value, rule, where, found)
    return found


def _show(value) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 30 else text[:27] + "…"
