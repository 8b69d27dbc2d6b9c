"""
Turns a labelled export of the app into the folder train.py reads:

    <out>/train.jsonl, [<out>/validation.jsonl], <out>/test.jsonl   one {"text", "label"} per line
    <out>/meta.json                                                labels in output order, non-toxic label, counts

Accepted inputs (the common denominator is JSONL with fields text, label and optional split):
  - a .jsonl file, or a folder of <split>.jsonl files (the app's JSONL export)
  - a Hugging Face `datasets` folder written by save_to_disk (the app's "hf" export); a ClassLabel
    column is turned back into names so labels map onto workspace categories by name
  - the app's Hugging Face folder (hf/<split>.jsonl + label_names.txt + README.md card): label names
    in category order, and the non-toxic category as the card marks it
  - a TweetEval task folder (<split>_text.txt, <split>_labels.txt, mapping.txt), for public-data runs

Splits: rows keep the split the export gave them ("gold" rows count as test: they are the unbiased
evaluation set and must never be trained on). Without any split, a deterministic stratified 80/20
split is made: within each label, rows are ordered by sha1(seed, text) and the first 20% go to test,
so the same export always gives the same split, whatever the row order.

    python model/prepare.py --input export.jsonl --out model/artifacts/data/tweets
"""

from __future__ import annotations

import argparse
import hashlib
import json
import math
import sys
from collections import Counter
from pathlib import Path

# Names the app and the public datasets use for "nothing wrong here"; anything else needs --non-toxic-label.
KNOWN_NON_TOXIC = ("non-toxic", "nontoxic", "non_toxic", "not toxic", "not_toxic", "not-offensive", "not", "none", "neither", "clean", "normal", "ok")
SPLIT_ALIASES = {"train": "train", "validation": "validation", "valid": "validation", "val": "validation", "dev": "validation", "test": "test", "gold": "test"}


class InputError(ValueError):
    """Bad input: the message names the file and line so it can be fixed."""


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    with path.open(encoding="utf-8") as f:
        for line_no, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except json.JSONDecodeError as e:
                raise InputError(f"{path}:{line_no}: not valid JSON ({e.msg})") from None
            rows.append(_check_row(raw, f"{path}:{line_no}"))
    return rows


def _check_row(raw: object, where: str, split: str | None = None) -> dict:
    if not isinstance(raw, dict):
        raise InputError(f"{where}: expected a JSON object with text and label")
    text = raw.get("text")
    # the app's Hugging Face folder carries the class index in "label" and its name in "label_name"
    label = raw["label_name"] if raw.get("label_name") is not None else raw.get("label", raw.get("category"))
    if not isinstance(text, str) or not text.strip():
        raise InputError(f"{where}: missing or empty 'text'")
    if label is None or (isinstance(label, str) and not label.strip()):
        raise InputError(f"{where}: missing 'label' (the export must contain labelled rows only)")
    row_split = raw.get("split", split)
    if row_split is not None:
        if row_split not in SPLIT_ALIASES:
            raise InputError(f"{where}: unknown split {row_split!r}; expected one of {', '.join(SPLIT_ALIASES)}")
        row_split = SPLIT_ALIASES[row_split]
    return {"text": text, "label": str(label), "split": row_split, "where": where}


def read_hf_folder(path: Path) -> tuple[list[dict], list[str] | None]:
    from datasets import Dataset, DatasetDict, load_from_disk

    loaded = load_from_disk(str(path))
    parts = loaded.items() if isinstance(loaded, DatasetDict) else [(None, loaded)]
    rows: list[dict] = []
    label_names: list[str] | None = None
    for split, ds in parts:
        assert isinstance(ds, Dataset)
        label_col = "label" if "label" in ds.column_names else "category"
        feature = ds.features.get(label_col)
        names = getattr(feature, "names", None)
        if names:
            label_names = list(names)
        for i, raw in enumerate(ds):
            raw = dict(raw)
            if names and isinstance(raw.get(label_col), int):
                raw[label_col] = names[raw[label_col]]
            rows.append(_check_row(raw, f"{path}[{split or 'all'}][{i}]", split))
    return rows, label_names


def read_tweeteval_folder(path: Path) -> tuple[list[dict], list[str]]:
    names = [line.split("\t")[1].strip() for line in (path / "mapping.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    rows = []
    for split in ("train", "val", "test"):
        if not (path / f"{split}_text.txt").exists():
            continue
        texts = (path / f"{split}_text.txt").read_text(encoding="utf-8").split("\n")
        labels = (path / f"{split}_labels.txt").read_text(encoding="utf-8").split("\n")
        texts, labels = [t for t in texts if t.strip()], [x for x in labels if x.strip()]
        if len(texts) != len(labels):
            raise InputError(f"{path}: {split}_text.txt has {len(texts)} lines but {split}_labels.txt has {len(labels)}")
        for i, (text, label) in enumerate(zip(texts, labels), start=1):
            if not label.strip().isdigit() or int(label) >= len(names):
                raise InputError(f"{path / (split + '_labels.txt')}:{i}: label {label!r} is not an index into mapping.txt")
            rows.append(_check_row({"text": text.strip(), "label": names[int(label)], "split": split}, f"{path / (split + '_text.txt')}:{i}"))
    return rows, names


def read_export(path: Path) -> tuple[list[dict], list[str] | None, str | None]:
    """Rows, the declared label order (when the export states it) and the non-toxic label (when it says)."""
    if path.is_file():
        return read_jsonl(path), None, None
    if not path.is_dir():
        raise InputError(f"{path}: no such file or folder")
    if (path / "mapping.txt").exists() and (path / "train_text.txt").exists():
        return (*read_tweeteval_folder(path), None)
    if (path / "dataset_dict.json").exists() or (path / "dataset_info.json").exists():
        return (*read_hf_folder(path), None)
    files = sorted(path.glob("*.jsonl"))
    if not files:
        raise InputError(f"{path}: expected a .jsonl file, a folder of <split>.jsonl files, or a datasets folder (save_to_disk)")
    rows = []
    for f in files:
        split = SPLIT_ALIASES.get(f.stem)
        for row in read_jsonl(f):
            row["split"] = row["split"] or split
            rows.append(row)
    declared = None
    if (path / "label_names.txt").exists():
        declared = [line for line in (path / "label_names.txt").read_text(encoding="utf-8").splitlines() if line.strip()]
    return rows, declared, card_non_toxic(path / "README.md")


def card_non_toxic(card: Path) -> str | None:
    """The app's dataset card marks the non-toxic category in its label table: "| Clean (non-toxic) | 0 | ..."."""
    if not card.exists():
        return None
    import re

    marked = re.findall(r"^\|\s*(.+?) \(non-toxic\)\s*\|", card.read_text(encoding="utf-8"), flags=re.MULTILINE)
    return marked[0].replace("\\|", "|") if len(marked) == 1 else None


def find_non_toxic(labels: list[str], explicit: str | None) -> str:
    if explicit is not None:
        if explicit not in labels:
            raise InputError(f"--non-toxic-label {explicit!r} is not among the labels: {', '.join(labels)}")
        return explicit
    matches = [label for label in labels if label.strip().lower() in KNOWN_NON_TOXIC]
    if len(matches) != 1:
        raise InputError(f"cannot tell which label is non-toxic among: {', '.join(labels)}; pass --non-toxic-label")
    return matches[0]


def stable_key(seed: int, text: str) -> str:
    return hashlib.sha1(f"{seed}\0{text}".encode()).hexdigest()


def split_rows(rows: list[dict], test_fraction: float, seed: int) -> dict[str, list[dict]]:
    has_split = [r["split"] is not None for r in rows]
    if any(has_split) and not all(has_split):
        missing = next(r for r in rows if r["split"] is None)
        raise InputError(f"{missing['where']}: some rows have a split and this one has none; give every row a split or none")
    out: dict[str, list[dict]] = {"train": [], "validation": [], "test": []}
    if all(has_split) and rows:
        for r in rows:
            out[r["split"]].append(r)
    else:
        by_label: dict[str, list[dict]] = {}
        for r in rows:
            by_label.setdefault(r["label"], []).append(r)
        for label in sorted(by_label):
            group = sorted(by_label[label], key=lambda r: stable_key(seed, r["text"]))
            n_test = math.floor(len(group) * test_fraction + 0.5) if len(group) > 1 else 0
            out["test"].extend(group[:n_test])
            out["train"].extend(group[n_test:])
    if not out["train"]:
        raise InputError("no training rows after splitting")
    if not out["test"]:
        raise InputError("no test rows after splitting: the export needs at least two rows of some label or an explicit test split")
    return out


def order_labels(seen: list[str], declared: list[str] | None, non_toxic: str) -> list[str]:
    """Non-toxic first, then the declared (category) order, else alphabetical: stable across runs."""
    base = [label for label in (declared or sorted(seen))]
    unknown = sorted(set(seen) - set(base))
    if unknown:
        raise InputError(f"rows carry labels missing from the declared label list: {', '.join(unknown)}")
    return [non_toxic] + [label for label in base if label != non_toxic]


def prepare(input_path: Path, out_dir: Path, non_toxic_label: str | None = None, labels: list[str] | None = None,
            test_fraction: float = 0.2, seed: int = 1337) -> dict:
    rows, declared, marked_non_toxic = read_export(input_path)
    if not rows:
        raise InputError(f"{input_path}: no rows")
    declared = labels or declared
    seen = sorted({r["label"] for r in rows})
    non_toxic = find_non_toxic(declared or seen, non_toxic_label or marked_non_toxic)
    ordered = order_labels(seen, declared, non_toxic)
    splits = split_rows(rows, test_fraction, seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    for name, part in splits.items():
        target = out_dir / f"{name}.jsonl"
        if not part:
            target.unlink(missing_ok=True)
            continue
        with target.open("w", encoding="utf-8") as f:
            for r in part:
                f.write(json.dumps({"text": r["text"], "label": r["label"]}, ensure_ascii=False) + "\n")
    meta = {
        "source": str(input_path),
        "labels": ordered,
        "nonToxicLabel": non_toxic,
        "splitSeed": seed,
        "testFraction": test_fraction,
        "counts": {name: dict(sorted(Counter(r["label"] for r in part).items())) for name, part in splits.items() if part},
    }
    (out_dir / "meta.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    return meta


def main(argv: list[str]) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--input", required=True, type=Path, help="labelled export: .jsonl, folder of <split>.jsonl, or datasets folder")
    p.add_argument("--out", required=True, type=Path, help="folder train.py reads (data_dir)")
    p.add_argument("--non-toxic-label", help="the label meaning non-toxic, when its name is not a usual one")
    p.add_argument("--labels", help="comma-separated label order (the workspace's categories), default alphabetical")
    p.add_argument("--test-fraction", type=float, default=0.2, help="share held out for test when the export has no split")
    p.add_argument("--seed", type=int, default=1337, help="split seed; same seed and data give the same split")
    args = p.parse_args(argv)
    try:
        meta = prepare(args.input, args.out, args.non_toxic_label, args.labels.split(",") if args.labels else None,
                       args.test_fraction, args.seed)
    except InputError as e:
        print(f"prepare: {e}", file=sys.stderr)
        return 1
    print(json.dumps(meta["counts"]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
