"""A store filled by another extractor version is re-extracted at start, one document per
transaction, with the metadata the documents were given (on SQLite and PostgreSQL); the version is
computed in one place."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import Backend
from dateline import fingerprint
from dateline.model import DocumentResult
from dateline.settings import Settings
from dateline.store import Store
from dateline.views.schemas import dump_timeline

META = {"lang": "en", "name": "core_web_sm", "version": "3.8.0"}


def make(settings: Settings, extractor: Any) -> Any:
    from dateline.api import create_app

    return create_app({"TESTING": True, "DATELINE": settings, "DATELINE_EXTRACTOR": extractor})


@pytest.fixture
def seeded(
    backend: Backend, store_location: str | Path, seed_dir: Path, extractor: Any
) -> tuple[Settings, Any]:
    settings = backend.settings(store_location, seed_path=str(seed_dir))
    return settings, make(settings, extractor)


def _age(store: Store) -> None:
    """Make the store look filled by an older extractor that found nothing in the tiny article."""
    given = {d.id: d for d in store.inputs()}
    [tiny] = [r for r in store.results() if r.document.id == "tiny-pyongyang"]
    store.add(DocumentResult(tiny.document, []), given=given["tiny-pyongyang"])
    store.set_extractor_version("0.0.1+oldoldoldold")


def test_an_older_store_is_re_extracted_at_start(
    seeded: tuple[Settings, Any], extractor: Any, caplog: pytest.LogCaptureFixture
) -> None:
    settings, app = seeded
    store = app.extensions["dateline"].store
    current = store.extractor_version()
    assert current == fingerprint.extractor_version(extractor.nlp.meta)
    expected = dump_timeline(store.timeline())
    _age(store)
    assert dump_timeline(store.timeline()) != expected

    with caplog.at_level(logging.INFO, logger="dateline"):
        restarted = make(settings, extractor)
    again = restarted.extensions["dateline"].store
    assert again.extractor_version() == current
    assert dump_timeline(again.timeline()) == expected
    assert again.get_document("tiny-pyongyang").published.basis == "given"
    assert any("re-extracting 3 documents" in r.getMessage() for r in caplog.records)
    assert any("re-extracted tiny-pyongyang" in r.getMessage() for r in caplog.records)
    assert again.verify() == []


def test_the_same_version_changes_nothing(seeded: tuple[Settings, Any], extractor: Any) -> None:
    settings, app = seeded
    revision = app.extensions["dateline"].store.revision()
    assert make(settings, extractor).extensions["dateline"].store.revision() == revision


def test_re_extraction_can_be_switched_off(seeded: tuple[Settings, Any], extractor: Any) -> None:
    settings, app = seeded
    _age(app.extensions["dateline"].store)
    store = (
        make(Settings(**{**settings.__dict__, "reextract": False}), extractor).extensions["dateline"].store
    )
    assert store.extractor_version() == "0.0.1+oldoldoldold"


def test_the_version_follows_code_data_and_model(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    base = fingerprint.extractor_version(META)
    assert base == fingerprint.extractor_version(dict(META))
    assert fingerprint.extractor_version({**META, "version": "3.8.1"}) != base

    import dateline

    copy = tmp_path / "dateline"
    shutil.copytree(Path(dateline.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint.resources, "files", lambda _package: copy)
    assert fingerprint.extractor_version(META) == base
    aliases = copy / "data" / "aliases.json"
    aliases.write_text(aliases.read_text(encoding="utf-8").replace('"Kabul"', '"Kabul", "Kaboul"'), "utf-8")
    changed_data = fingerprint.extractor_version(META)
    assert changed_data != base
    extractor_module = copy / "events" / "extractor.py"
    extractor_module.write_text(extractor_module.read_text("utf-8") + "\n# a change\n", "utf-8")
    changed_code = fingerprint.extractor_version(META)
    assert changed_code not in (base, changed_data)
    # a module added to a folder on the extraction path counts without any list to keep
    (copy / "timex" / "new_rule.py").write_text('"""A new rule."""\n', "utf-8")
    assert fingerprint.extractor_version(META) not in (base, changed_data, changed_code)


def test_the_merge_version_follows_the_merging_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import dateline

    base = fingerprint.merge_version()
    copy = tmp_path / "dateline"
    shutil.copytree(Path(dateline.__file__).parent, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(fingerprint.resources, "files", lambda _package: copy)
    assert fingerprint.merge_version() == base
    (copy / "events" / "extractor.py").write_text("# extraction code does not re-merge\n", "utf-8")
    assert fingerprint.merge_version() == base
    (copy / "merging" / "new_linking_rule.py").write_text('"""A new linking rule."""\n', "utf-8")
    assert fingerprint.merge_version() != base
