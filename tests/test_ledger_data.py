"""The published data (data/ledger.json, data/index.json): its schema, and its way back in.

Checked with ``jsonschema`` (the second reader) and with the runtime's own
``jsoncheck`` against the shipped schema; a ledger using every field goes
out as JSON and comes back through ``ledger.py import`` unchanged."""

from __future__ import annotations

import dataclasses
import json

import jsonschema
import pytest

from conftest import REPO, ledger_cli
from ledger_fixtures import write_ledger
from ledgerlib import aggregate, load_ledger
from ledgerlib.import_json import DataInvalid, parse_data, write_folder
from ledgerlib.jsoncheck import check, schema
from ledgerlib.ledgerdata import dumps, ledger_data
from test_round_trip import FULL, FULL_YML, every_field, with_evidence


def validator(name: str = "ledger.schema.json"):
    jsonschema.Draft202012Validator.check_schema(schema(name))
    return jsonschema.Draft202012Validator(schema(name), format_checker=jsonschema.FormatChecker())


@pytest.fixture(scope="module")
def full(tmp_path_factory):
    root = with_evidence(tmp_path_factory.mktemp("full"))
    return load_ledger(write_ledger(root, FULL, FULL_YML))


def facts(ledger):
    """The ledger's own facts that the data carries (paths, report layout and accounts do not travel)."""
    return {f.name: getattr(ledger, f.name) for f in dataclasses.fields(ledger)
            if f.name in ("title", "round", "unit", "group", "period", "feedback_date", "cutoff_date", "warn_days",
                          "note", "signature_unit", "signature_date", "categories", "statuses", "milestones",
                          "departments", "results")}


def test_the_sample_exported_as_json_validates_and_comes_back_the_same(tmp_path):
    out = tmp_path / "台账数据.json"
    result = ledger_cli("export", "--out", out)
    assert result.returncode == 0, result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    validator().validate(data)
    assert check(data) == []
    sample = load_ledger(REPO / "issues")
    assert data["standing"]["total"] == len(sample.issues) and data["ledger"]["unit"] == sample.unit
    (tmp_path / "docs" / "evidence" / "sample").mkdir(parents=True)
    for issue in sample.issues:  # the evidence files, so that file: stays
        for e in issue.evidence:
            if e.file:
                (tmp_path / e.file).parent.mkdir(parents=True, exist_ok=True)
                (tmp_path / e.file).write_bytes((REPO / e.file).read_bytes())
    (tmp_path / ".git").mkdir()  # the repository's root, where evidence paths start
    result = ledger_cli("import", out, "--out", tmp_path / "issues")
    assert result.returncode == 0, result.stderr
    back = load_ledger(tmp_path / "issues")
    assert every_field(back) == every_field(sample) and facts(back) == facts(sample)


def test_a_ledger_using_every_field_round_trips_through_json(tmp_path, full):
    data = ledger_data(full, aggregate.standing(full), commit="abc1234")
    validator().validate(data)
    with_evidence(tmp_path)
    (tmp_path / ".git").mkdir()
    (tmp_path / "2023-区委巡察").mkdir()  # the earlier round the problems follow
    (tmp_path / "2023-区委巡察" / "ledger.yml").write_text(FULL_YML, encoding="utf-8")
    written = write_folder(parse_data(dumps(data)), tmp_path / "issues")
    back = load_ledger(tmp_path / "issues")
    assert every_field(back) == every_field(full) and facts(back) == facts(full)
    assert written.notes == []


def test_the_site_publishes_each_ledgers_data_and_an_index(sample_site):
    data = json.loads((sample_site / "data" / "ledger.json").read_text(encoding="utf-8"))
    index = json.loads((sample_site / "data" / "index.json").read_text(encoding="utf-8"))
    validator().validate(data)
    validator("index.schema.json").validate(index)
    assert index["ledgers"] == [{"name": "", "path": "data/ledger.json", "unit": data["ledger"]["unit"],
                                 "round": data["ledger"]["round"], "as_of": data["as_of"],
                                 "commit": data["commit"], "total": 17, "done": data["standing"]["done"]}]
    assert len(data["issues"]) == 17 and data["as_of"] == "2023-06-30"


def test_fields_the_public_notice_leaves_out_are_marked_and_nothing_unlisted_gets_in():
    issue = schema()["properties"]["issues"]["items"]["properties"]
    private = {key for key, rule in issue.items() if rule.get("x-public") is False}
    assert {"leader", "problem", "evidence", "public"} <= private
    assert issue["tasks"]["items"]["properties"]["person"]["x-public"] is False

    def closed(rule):  # every object lists its fields: contacts and accounts cannot slip in
        if rule.get("type") == "object" and "properties" in rule:
            assert rule["additionalProperties"] is False
            for sub in rule["properties"].values():
                closed(sub)
        for sub in rule.get("oneOf", []) + ([rule["items"]] if "items" in rule else []):
            closed(sub)
    closed(schema())


def test_contacts_and_reviewer_accounts_never_reach_the_data(full):
    from ledgerlib.ladder import Contacts
    from ledgerlib.model import NoticeSpec

    ledger = dataclasses.replace(full, codeowners={"办公室": ["@zhang"]},
                                 contacts=Contacts({"办公室": ("13800000000", "bgs@example.gov.cn")}),
                                 notice=NoticeSpec(contact=("联系电话：0551-1234567",)))
    text = dumps(ledger_data(ledger, aggregate.standing(ledger), commit=None)).decode()
    for secret in ("@zhang", "13800000000", "bgs@example.gov.cn", "0551-1234567", "contact"):
        assert secret not in text


def test_data_of_another_shape_is_refused_with_every_fault_in_chinese(full):
    data = ledger_data(full, aggregate.standing(full), commit=None)
    data["issues"][0]["status"] = 3
    del data["issues"][1]["title"]
    data["ledger"]["contacts"] = ["13800000000"]
    data["schema_version"] = 2
    with pytest.raises(DataInvalid) as caught:
        parse_data(json.dumps(data).encode())
    messages = "\n".join(caught.value.messages)
    assert "$.issues[0].status: 应为文本" in messages and "$.issues[1]: 缺少字段“title”" in messages
    assert "$.ledger: 未知字段“contacts”" in messages and "$.schema_version: 应为 1" in messages
    assert len(list(validator().iter_errors(data))) == 4  # the second reader finds the same four
    with pytest.raises(DataInvalid, match="不是 UTF-8 编码的 JSON"):
        parse_data(b"<html>")


def test_every_field_is_documented_in_dev():
    doc = (REPO / "dev" / "data-format.md").read_text(encoding="utf-8")

    def paths(rule, path):
        for sub in rule.get("oneOf", []):
            yield from paths(sub, path)
        for key, sub in rule.get("properties", {}).items():
            yield f"{path}.{key}" if path else key
            yield from paths(sub, f"{path}.{key}" if path else key)
        if "items" in rule:
            yield from paths(rule["items"], path + "[]")
    for name in ("ledger.schema.json", "index.schema.json"):
        missing = [p for p in paths(schema(name), "") if f"`{p}`" not in doc]
        assert missing == []
