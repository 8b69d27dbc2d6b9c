from __future__ import annotations

import json

import pytest
from conftest import synthetic_rows, write_jsonl

import prepare


def read(path):
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_split_is_stratified_80_20_and_independent_of_row_order(tmp_path):
    rows = synthetic_rows(300)
    a = prepare.prepare(write_jsonl(tmp_path / "a.jsonl", rows), tmp_path / "a")
    b = prepare.prepare(write_jsonl(tmp_path / "b.jsonl", list(reversed(rows))), tmp_path / "b")
    assert a["counts"]["test"] == {"insult": 20, "non-toxic": 20, "threat": 20}
    assert a["counts"]["train"] == {"insult": 80, "non-toxic": 80, "threat": 80}
    assert sorted(r["text"] for r in read(tmp_path / "a" / "test.jsonl")) == sorted(r["text"] for r in read(tmp_path / "b" / "test.jsonl"))
    assert a["labels"] == ["non-toxic", "insult", "threat"]
    assert a["nonToxicLabel"] == "non-toxic"


def test_a_different_seed_gives_a_different_split(tmp_path):
    rows = synthetic_rows(300)
    export = write_jsonl(tmp_path / "e.jsonl", rows)
    prepare.prepare(export, tmp_path / "s1", seed=1)
    prepare.prepare(export, tmp_path / "s2", seed=2)
    assert read(tmp_path / "s1" / "test.jsonl") != read(tmp_path / "s2" / "test.jsonl")


def test_explicit_splits_are_kept_and_gold_counts_as_test(tmp_path):
    rows = [{"text": f"t{i}", "label": "NOT" if i % 2 else "OFF", "split": ["train", "validation", "gold", "test"][i % 4]}
            for i in range(8)]
    meta = prepare.prepare(write_jsonl(tmp_path / "e.jsonl", rows), tmp_path / "out")
    assert meta["nonToxicLabel"] == "NOT"
    assert meta["labels"] == ["NOT", "OFF"]
    assert len(read(tmp_path / "out" / "train.jsonl")) == 2
    assert len(read(tmp_path / "out" / "validation.jsonl")) == 2
    assert len(read(tmp_path / "out" / "test.jsonl")) == 4


def test_folder_of_split_files_is_read(tmp_path):
    folder = tmp_path / "export"
    folder.mkdir()
    write_jsonl(folder / "train.jsonl", [{"text": "a b", "label": "neither"}, {"text": "you idiot", "label": "offensive"}])
    write_jsonl(folder / "test.jsonl", [{"text": "c d", "label": "neither"}])
    meta = prepare.prepare(folder, tmp_path / "out")
    assert meta["counts"] == {"train": {"neither": 1, "offensive": 1}, "test": {"neither": 1}}


def test_hf_datasets_folder_with_classlabel_maps_back_to_names(tmp_path):
    from datasets import ClassLabel, Dataset, DatasetDict, Features, Value

    features = Features({"text": Value("string"), "label": ClassLabel(names=["non-toxic", "insult", "threat"])})
    dd = DatasetDict({
        "train": Dataset.from_dict({"text": ["hi", "you idiot", "i will hurt you"], "label": [0, 1, 2]}, features=features),
        "test": Dataset.from_dict({"text": ["hello", "clown"], "label": [0, 1]}, features=features),
    })
    dd.save_to_disk(str(tmp_path / "hf"))
    meta = prepare.prepare(tmp_path / "hf", tmp_path / "out")
    assert meta["labels"] == ["non-toxic", "insult", "threat"]
    assert read(tmp_path / "out" / "test.jsonl") == [{"text": "hello", "label": "non-toxic"}, {"text": "clown", "label": "insult"}]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"text": "ok", "label": "non-toxic"}\n{"text": "broken", \n', "e.jsonl:2: not valid JSON"),
        ('{"text": "ok", "label": "non-toxic"}\n{"text": "", "label": "insult"}\n', "e.jsonl:2: missing or empty 'text'"),
        ('{"text": "ok", "label": "non-toxic"}\n\n{"text": "x"}\n', "e.jsonl:3: missing 'label'"),
        ('{"text": "ok", "label": "non-toxic", "split": "holdout"}\n', "e.jsonl:1: unknown split 'holdout'"),
        ('{"text": "a", "label": "non-toxic", "split": "train"}\n{"text": "b", "label": "insult"}\n', "e.jsonl:2: some rows have a split"),
    ],
)
def test_bad_input_names_the_line(tmp_path, content, message):
    (tmp_path / "e.jsonl").write_text(content, encoding="utf-8")
    with pytest.raises(prepare.InputError, match=message.replace("(", r"\(").replace(")", r"\)")):
        prepare.prepare(tmp_path / "e.jsonl", tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_unknown_non_toxic_label_asks_for_the_flag(tmp_path):
    export = write_jsonl(tmp_path / "e.jsonl", [{"text": "a", "label": "E"}, {"text": "b", "label": "O"}] * 3)
    with pytest.raises(prepare.InputError, match="pass --non-toxic-label"):
        prepare.prepare(export, tmp_path / "out")
    meta = prepare.prepare(export, tmp_path / "out", non_toxic_label="O")
    assert meta["labels"] == ["O", "E"]


def test_cli_exits_1_with_the_message(tmp_path, capsys):
    (tmp_path / "e.jsonl").write_text("not json\n", encoding="utf-8")
    assert prepare.main(["--input", str(tmp_path / "e.jsonl"), "--out", str(tmp_path / "o")]) == 1
    assert "e.jsonl:1: not valid JSON" in capsys.readouterr().err


def test_tweeteval_folder_keeps_its_splits_and_label_names(tmp_path):
    folder = tmp_path / "tweeteval"
    folder.mkdir()
    (folder / "mapping.txt").write_text("0\tnot-offensive\n1\toffensive\n")
    for split, texts, labels in (("train", ["@user hi", "you idiot", "nice"], [0, 1, 0]), ("val", ["ok"], [0]), ("test", ["trash", "fine"], [1, 0])):
        (folder / f"{split}_text.txt").write_text("".join(t + " \n" for t in texts))
        (folder / f"{split}_labels.txt").write_text("".join(f"{x}\n" for x in labels))
    meta = prepare.prepare(folder, tmp_path / "out")
    assert meta["labels"] == ["not-offensive", "offensive"]
    assert meta["counts"] == {"train": {"not-offensive": 2, "offensive": 1}, "validation": {"not-offensive": 1},
                              "test": {"not-offensive": 1, "offensive": 1}}
    assert read(tmp_path / "out" / "test.jsonl")[0] == {"text": "trash", "label": "offensive"}
    (folder / "test_labels.txt").write_text("1\n7\n")
    with pytest.raises(prepare.InputError, match=r"test_labels.txt:2: label '7' is not an index"):
        prepare.prepare(folder, tmp_path / "out2")


def test_the_apps_hugging_face_folder_uses_label_names_and_the_cards_non_toxic_mark(tmp_path):
    # shaped like server/export/run-snapshot-job.ts's "hf" output: label = class index, label_name = category
    hf = tmp_path / "hf"
    hf.mkdir()
    names = ["Clean", "Harassment", "Threat"]
    (hf / "label_names.txt").write_text("".join(n + "\n" for n in names))
    (hf / "README.md").write_text("## Labels\n\n| label | index | train | total |\n|---|---|---|---|\n"
                                  "| Clean (non-toxic) | 0 | 2 | 2 |\n| Harassment | 1 | 1 | 1 |\n| Threat | 2 | 0 | 1 |\n")
    rows = lambda items: [{"id": str(i), "text": t, "label": names.index(n), "label_name": n, "is_audit": False} for i, (t, n) in enumerate(items)]
    write_jsonl(hf / "train.jsonl", rows([("gg", "Clean"), ("wp", "Clean"), ("you clown", "Harassment")]))
    write_jsonl(hf / "gold.jsonl", rows([("i will hurt you", "Threat")]))
    meta = prepare.prepare(hf, tmp_path / "out")
    assert meta["nonToxicLabel"] == "Clean"
    assert meta["labels"] == ["Clean", "Harassment", "Threat"]
    assert meta["counts"] == {"train": {"Clean": 2, "Harassment": 1}, "test": {"Threat": 1}}
