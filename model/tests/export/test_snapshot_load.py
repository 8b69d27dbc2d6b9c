"""
A snapshot loads in the tools data scientists use: `datasets.load_dataset` on the Hugging Face folder,
`pandas.read_parquet`, `pandas.read_csv` and JSON lines, and every loader agrees with the manifest on
row counts, splits and label names. The snapshot is built by the real exporter (Node, real PostgreSQL).
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
from collections import Counter
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def snapshot(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("snapshots")
    done = subprocess.run(
        ["npx", "tsx", "model/tests/export/make_snapshot.ts", str(out)],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr[-4000:]
    manifest_path = Path(json.loads(done.stdout.strip().splitlines()[-1])["manifest"])
    return manifest_path.parent, json.loads(manifest_path.read_text(encoding="utf-8"))


def nonempty_splits(manifest: dict) -> dict[str, int]:
    return {s: n for s, n in manifest["counts"]["bySplit"].items() if n > 0}


def test_manifest_checksums_match_files(snapshot):
    folder, manifest = snapshot
    assert manifest["files"], "a snapshot lists its files"
    for f in manifest["files"]:
        data = (folder / f["path"]).read_bytes()
        assert len(data) == f["bytes"], f["path"]
        assert hashlib.sha256(data).hexdigest() == f["sha256"], f["path"]
    assert set(nonempty_splits(manifest)) == {"train", "validation", "test", "gold"}


def test_hugging_face_folder_loads_with_datasets(snapshot, tmp_path, monkeypatch):
    monkeypatch.setenv("HF_DATASETS_OFFLINE", "1")
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    from datasets import load_dataset

    folder, manifest = snapshot
    ds = load_dataset(str(folder / "hf"), cache_dir=str(tmp_path / "cache"))
    assert {s: ds[s].num_rows for s in ds} == nonempty_splits(manifest)
    names = manifest["labelNames"]
    assert ds["train"].features["label"].names == names
    assert (folder / "hf" / "label_names.txt").read_text(encoding="utf-8").splitlines() == names
    for split in ds:
        counts = Counter(names[i] for i in ds[split]["label"])
        expected = {k: v for k, v in manifest["counts"]["bySplitAndLabel"][split].items() if v}
        assert dict(counts) == expected, split
        assert all(names[r["label"]] == r["label_name"] for r in ds[split].select(range(min(50, ds[split].num_rows))))


def test_parquet_loads_with_pandas(snapshot):
    import pandas as pd

    folder, manifest = snapshot
    df = pd.read_parquet(folder / "dataset.parquet")
    assert len(df) == manifest["counts"]["rows"]
    assert df["split"].value_counts().to_dict() == nonempty_splits(manifest)
    names = manifest["labelNames"]
    assert (df["label"] == df["label_index"].map(lambda i: names[i])).all()
    assert str(df["label_index"].dtype) == "int32"
    assert df["id"].is_unique


def test_csv_loads_with_pandas_and_is_formula_safe(snapshot):
    import pandas as pd

    folder, manifest = snapshot
    df = pd.read_csv(folder / "dataset.csv", dtype={"id": str, "conversation_id": str}, keep_default_na=False)
    assert len(df) == manifest["counts"]["rows"]
    assert df["split"].value_counts().to_dict() == nonempty_splits(manifest)
    assert set(df["label"]) <= set(manifest["labelNames"])
    # the fixture has texts starting with "=HYPERLINK(": they arrive neutralised, never as formulas
    assert df["text"].str.startswith("'=").any()
    for column in ["text", "label", "game", "channel", "conversation_id"]:
        assert not df[column].astype(str).str.match(r"^[=+\-@\t\r]").any(), column
    jsonl = pd.read_json(folder / "dataset.jsonl", lines=True, dtype={"id": str})
    assert list(jsonl["id"]) == list(df["id"])
    assert (jsonl["text"].str.startswith("=") == df["text"].str.startswith("'=")).all()


def test_no_conversation_text_leak_between_train_and_evaluation(snapshot):
    import pandas as pd

    folder, _ = snapshot
    df = pd.read_parquet(folder / "dataset.parquet")
    from_train = set(df.loc[df["split"] == "train", "text"].str.lower().str.replace(r"[^a-z0-9 ]+", "", regex=True).str.strip())
    held = df.loc[df["split"] != "train", "text"].str.lower().str.replace(r"[^a-z0-9 ]+", "", regex=True).str.strip()
    assert not (held.isin(from_train)).any()
