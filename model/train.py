"""
Fine-tunes a Hugging Face checkpoint (a hub name or a local folder) as a toxic-speech classifier with
one output per workspace category (non-toxic included), evaluates it on the test split with the case
study's metrics, and writes the bundle the app imports (`npm run model:import -- <out_dir>`):

    <out_dir>/model.onnx        dynamic [batch, sequence] int64 inputs -> "logits" [batch, labels]
    <out_dir>/tokenizer.json    read in Node by @huggingface/tokenizers
    <out_dir>/manifest.json     the model contract (lib/model/manifest.ts), metrics and run config included
    <out_dir>/metrics.json      the same metrics, on their own
    <out_dir>/checkpoint/       the PyTorch model + tokenizer + run_config.json, to resume or re-export

    python model/prepare.py --input export.jsonl --out model/artifacts/data/mine
    python model/train.py model/configs/bertweet_offensive.py --data_dir=model/artifacts/data/mine

Runs on CUDA when available, else CPU. init_from="scratch" builds a small BERT and WordPiece vocabulary
from the training texts (no download): that is what the tests and offline demos use.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import torch

sys.path.insert(0, str(Path(__file__).resolve().parent))

from calibration import apply_map, fit_calibration, log_softmax  # noqa: E402
from configurator import load_config  # noqa: E402
from eval_metrics import compute_metrics  # noqa: E402
from export_onnx import OPSET, check_onnx, export_onnx  # noqa: E402
from manifest_io import build_transformer_manifest, write_manifest  # noqa: E402
from normalize import NORMALIZATIONS, default_normalization, normalize_text  # noqa: E402
from tokenizer_tools import ensure_fast, grow_embeddings_for_tokenizer, train_wordpiece  # noqa: E402

DEFAULTS: dict = {
    # data and output
    "data_dir": "",  # folder written by prepare.py
    "out_dir": "",  # bundle folder; default model/artifacts/<version>
    "version": "",  # manifest version; default <model>-<UTC timestamp>
    # model
    "init_from": "scratch",  # hub name or local folder of a pretrained checkpoint, or "scratch"
    "max_length": 128,  # tokens per text; tweets and chat lines are short
    "normalization": "auto",  # "auto" picks "bertweet" for BERTweet-family checkpoints, else "none"
    # "scratch" model size (ignored for pretrained checkpoints)
    "scratch_vocab_size": 2000,
    "scratch_hidden_size": 128,
    "scratch_layers": 2,
    "scratch_heads": 2,
    "scratch_intermediate_size": 256,
    # the knobs the case study tuned
    "epochs": 3.0,
    "train_batch_size": 16,
    "eval_batch_size": 64,
    "learning_rate": 2e-5,
    "metric_for_best_model": "f1_macro",  # any key of the eval metrics: f1_macro, f1_binary, auc_binary, accuracy
    "optim": "adamw_torch",  # a transformers OptimizerNames value
    # the rest
    "weight_decay": 0.01,
    "warmup_ratio": 0.0,
    "max_steps": -1,  # > 0 caps training steps (tests)
    "val_fraction": 0.1,  # share of train held out for picking the best epoch when the export has no validation split
    "fp16": False,  # mixed precision; only on CUDA
    "seed": 1337,
    "logging_steps": 50,
    "device": "auto",  # "auto" (cuda if available), "cuda" or "cpu"
    "calibrate": True,  # fit the served calibration (temperature or vector scaling) on the validation split
    "flag_threshold": None,  # toxic-score threshold for the test metrics; None: the calibrated default (0.5 uncalibrated)
}


def read_split(path: Path) -> list[dict]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def carve_validation(train: list[dict], fraction: float, seed: int) -> tuple[list[dict], list[dict]]:
    if fraction <= 0:
        return train, []
    keyed = sorted(train, key=lambda r: hashlib.sha1(f"val{seed}\0{r['text']}".encode()).hexdigest())
    n = max(1, round(len(train) * fraction))
    return keyed[n:], keyed[:n]


class EncodedTexts(torch.utils.data.Dataset):
    def __init__(self, tokenizer, rows: list[dict], label_index: dict[str, int], normalization: str, max_length: int):
        texts = [normalize_text(r["text"], normalization) for r in rows]
        self.encodings = tokenizer(texts, truncation=True, max_length=max_length)
        self.labels = [label_index[r["label"]] for r in rows]

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> dict:
        item = {k: v[i] for k, v in self.encodings.items()}
        item["labels"] = self.labels[i]
        return item


def pick_device(choice: str) -> str:
    if choice == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    if choice == "cuda" and not torch.cuda.is_available():
        raise SystemExit("device=cuda but torch sees no CUDA GPU")
    return choice


def load_model_and_tokenizer(cfg: dict, labels: list[str], train_texts: list[str]):
    from transformers import AutoConfig, AutoModelForSequenceClassification, AutoTokenizer, BertConfig, BertForSequenceClassification

    id2label = dict(enumerate(labels))
    label2id = {v: k for k, v in id2label.items()}
    if cfg["init_from"] == "scratch":
        tokenizer = train_wordpiece(train_texts, cfg["scratch_vocab_size"])
        config = BertConfig(vocab_size=len(tokenizer), hidden_size=cfg["scratch_hidden_size"], num_hidden_layers=cfg["scratch_layers"],
                            num_attention_heads=cfg["scratch_heads"], intermediate_size=cfg["scratch_intermediate_size"],
                            max_position_embeddings=max(cfg["max_length"], 64), num_labels=len(labels), id2label=id2label,
                            label2id=label2id, pad_token_id=tokenizer.pad_token_id)
        return BertForSequenceClassification(config), tokenizer, None, "bert"
    pretrained_config = AutoConfig.from_pretrained(cfg["init_from"])
    raw_tokenizer = AutoTokenizer.from_pretrained(cfg["init_from"])
    tokenizer = ensure_fast(raw_tokenizer)
    # the checkpoint's own head (e.g. 2-way offensive) is replaced by one sized for this workspace's categories
    model = AutoModelForSequenceClassification.from_pretrained(cfg["init_from"], num_labels=len(labels), id2label=id2label,
                                                               label2id=label2id, ignore_mismatched_sizes=True)
    added = grow_embeddings_for_tokenizer(model, tokenizer)
    if added:
        print(f"added {added} embedding rows (as <unk>) for tokenizer pieces beyond the checkpoint's vocabulary")
    slow = raw_tokenizer if raw_tokenizer is not tokenizer else None
    return model, tokenizer, slow, pretrained_config.model_type


def tokenizer_agreement(slow, fast, texts: list[str], max_length: int) -> float:
    """Share of texts the converted tokenizer encodes exactly like the original (1.0 for native fast tokenizers)."""
    sample = texts[:2000]
    # ids past the slow vocabulary are intermediate BPE pieces, which the slow tokenizer calls <unk>
    def as_slow(ids: list[int]) -> list[int]:
        return [i if i < len(slow) else slow.unk_token_id for i in ids]

    same = sum(slow(t, truncation=True, max_length=max_length)["input_ids"] == as_slow(fast(t, truncation=True, max_length=max_length)["input_ids"])
               for t in sample)
    return same / max(1, len(sample))


def main(argv: list[str]) -> int:
    cfg = load_config(DEFAULTS, argv)
    if not cfg["data_dir"]:
        raise SystemExit("train: set data_dir (the folder prepare.py wrote)")
    data_dir = Path(cfg["data_dir"])
    meta = json.loads((data_dir / "meta.json").read_text(encoding="utf-8"))
    labels: list[str] = meta["labels"]
    non_toxic_index = labels.index(meta["nonToxicLabel"])
    train_rows = read_split(data_dir / "train.jsonl")
    val_rows = read_split(data_dir / "validation.jsonl")
    test_rows = read_split(data_dir / "test.jsonl")
    if not val_rows:
        train_rows, val_rows = carve_validation(train_rows, cfg["val_fraction"], cfg["seed"])
    if not train_rows or not test_rows:
        raise SystemExit(f"train: {data_dir} needs train.jsonl and test.jsonl rows (run prepare.py)")

    from transformers import DataCollatorWithPadding, Trainer, TrainingArguments, set_seed

    set_seed(cfg["seed"])
    device = pick_device(cfg["device"])
    model, tokenizer, slow_tokenizer, model_type = load_model_and_tokenizer(cfg, labels, [r["text"] for r in train_rows])
    normalization = default_normalization(cfg["init_from"], model_type) if cfg["normalization"] == "auto" else cfg["normalization"]
    if normalization not in NORMALIZATIONS:
        raise SystemExit(f"train: normalization must be auto or one of {NORMALIZATIONS}")
    max_length = cfg["max_length"]
    positions = getattr(model.config, "max_position_embeddings", None)
    if positions:
        # RoBERTa-style models (BERTweet included) reserve padding_idx + 1 positions
        usable = positions - 2 if model_type in ("roberta", "xlm-roberta", "camembert") else positions
        max_length = min(max_length, usable)
    agreement = None
    if slow_tokenizer is not None:
        agreement = tokenizer_agreement(slow_tokenizer, tokenizer, [normalize_text(r["text"], normalization) for r in train_rows], max_length)
        print(f"converted tokenizer agrees with {type(slow_tokenizer).__name__} on {agreement:.2%} of training texts")
    input_names = [n for n in ("input_ids", "attention_mask", "token_type_ids") if n in tokenizer.model_input_names]

    label_index = {label: i for i, label in enumerate(labels)}
    unknown = sorted({r["label"] for r in train_rows + val_rows + test_rows} - set(label_index))
    if unknown:
        raise SystemExit(f"train: rows carry labels not in meta.json: {', '.join(unknown)}")
    train_ds = EncodedTexts(tokenizer, train_rows, label_index, normalization, max_length)
    val_ds = EncodedTexts(tokenizer, val_rows, label_index, normalization, max_length) if val_rows else None
    test_ds = EncodedTexts(tokenizer, test_rows, label_index, normalization, max_length)

    version = cfg["version"] or f"{Path(cfg['init_from']).name.replace('_', '-')}-{datetime.now(timezone.utc):%Y%m%d-%H%M%S}"
    out_dir = Path(cfg["out_dir"] or Path(__file__).resolve().parent / "artifacts" / version)
    out_dir.mkdir(parents=True, exist_ok=True)

    def trainer_metrics(pred) -> dict:
        m = compute_metrics(pred.predictions, pred.label_ids, labels, non_toxic_index, cfg["flag_threshold"] or 0.5)
        return {"f1_macro": m["fineGrained"]["f1"], "f1_binary": m["binary"]["f1"],
                "auc_binary": m["binary"]["rocAuc"] or 0.0, "accuracy": m["accuracy"]}

    has_val = val_ds is not None and len(val_ds) > 0
    args = TrainingArguments(
        output_dir=str(out_dir / "trainer"),
        num_train_epochs=cfg["epochs"],
        max_steps=cfg["max_steps"],
        per_device_train_batch_size=cfg["train_batch_size"],
        per_device_eval_batch_size=cfg["eval_batch_size"],
        learning_rate=cfg["learning_rate"],
        weight_decay=cfg["weight_decay"],
        warmup_steps=cfg["warmup_ratio"],  # transformers 5: a float below 1 is a ratio of total steps
        optim=cfg["optim"],
        eval_strategy="epoch" if has_val else "no",
        save_strategy="epoch" if has_val else "no",
        load_best_model_at_end=has_val,
        metric_for_best_model=cfg["metric_for_best_model"] if has_val else None,
        greater_is_better=True,
        save_total_limit=1,
        save_only_model=True,
        logging_steps=cfg["logging_steps"],
        seed=cfg["seed"],
        fp16=cfg["fp16"] and device == "cuda",
        use_cpu=device == "cpu",
        report_to=[],
        disable_tqdm=True,
        dataloader_num_workers=0,
    )
    trainer = Trainer(model=model, args=args, train_dataset=train_ds, eval_dataset=val_ds if has_val else None,
                      data_collator=DataCollatorWithPadding(tokenizer), processing_class=tokenizer, compute_metrics=trainer_metrics)
    started = time.perf_counter()
    trainer.train()
    train_seconds = time.perf_counter() - started
    print(f"trained on {len(train_ds)} texts in {train_seconds:.1f} s on {device}")
    # the best epoch is loaded in memory now; the per-epoch checkpoints would only double the disk use
    shutil.rmtree(out_dir / "trainer", ignore_errors=True)

    # Calibration from the validation split (the data that picked the best epoch, as Guo et al. fit their
    # temperature): the manifest carries it and the app applies it to every prediction it serves.
    calibration = None
    if cfg["calibrate"] and has_val:
        val_logits = trainer.predict(val_ds).predictions
        calibration, _ = fit_calibration(log_softmax(val_logits), np.asarray(val_ds.labels), non_toxic_index, "validation")
        print(f"calibration: {calibration['method']} (validation ECE {calibration['before']['ece']:.3f} -> {calibration['after']['ece']:.3f}, "
              f"default threshold {calibration['flagThreshold']})")
    prediction = trainer.predict(test_ds)
    test_logits = np.asarray(prediction.predictions, dtype=np.float64)
    if calibration is not None:
        # compute_metrics applies softmax: the log of the calibrated probabilities gives them back
        test_logits = np.log(np.maximum(apply_map(calibration, log_softmax(test_logits)), 1e-300))
    threshold = cfg["flag_threshold"] if cfg["flag_threshold"] is not None else ((calibration or {}).get("flagThreshold") or 0.5)
    metrics = compute_metrics(test_logits, np.asarray(test_ds.labels), labels, non_toxic_index, threshold)
    print(json.dumps({"binary": metrics["binary"], "fineGrained": {k: v for k, v in metrics["fineGrained"].items() if k != "perCategory"},
                      "accuracy": metrics["accuracy"]}, indent=2))

    model = trainer.model.to("cpu").eval()
    checkpoint = out_dir / "checkpoint"
    model.save_pretrained(checkpoint)
    tokenizer.save_pretrained(checkpoint)
    tokenizer.backend_tokenizer.save(str(out_dir / "tokenizer.json"))
    export_onnx(model, tokenizer, input_names, out_dir / "model.onnx", max_length)
    onnx_diff = check_onnx(model, tokenizer, input_names, out_dir / "model.onnx",
                           [normalize_text(r["text"], normalization) for r in test_rows[:32]], max_length)
    print(f"ONNX matches PyTorch to {onnx_diff:.1e}")

    params = {**cfg, "data_dir": str(data_dir), "out_dir": str(out_dir), "device": device, "normalization": normalization,
              "max_length": max_length, "train_seconds": round(train_seconds, 3), "onnx_max_abs_diff": onnx_diff,
              "tokenizer_agreement": agreement, "torch": torch.__version__}
    (checkpoint / "run_config.json").write_text(json.dumps(params, indent=2) + "\n", encoding="utf-8")
    manifest = build_transformer_manifest(
        version=version, labels=labels, non_toxic_index=non_toxic_index, max_length=max_length, normalization=normalization,
        pad_token_id=int(tokenizer.pad_token_id), input_names=input_names, opset=OPSET, base_model=cfg["init_from"],
        trained_at=datetime.now(timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z"), examples=len(train_ds),
        dataset=f"{meta.get('source', data_dir)} ({', '.join(f'{k}: {sum(v.values())}' for k, v in meta.get('counts', {}).items())})",
        params=params, metrics=metrics, calibration=calibration,
    )
    write_manifest(manifest, out_dir)
    (out_dir / "metrics.json").write_text(json.dumps(metrics, indent=2) + "\n", encoding="utf-8")
    print(f"wrote {out_dir} (import with: npm run model:import -- {out_dir})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
