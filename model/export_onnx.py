"""
Exports a sequence classifier to ONNX for onnxruntime-node: inputs input_ids / attention_mask
(/ token_type_ids when the tokenizer produces them), int64 [batch, sequence]; output "logits" float32
[batch, labels]. Both axes are dynamic so the server can batch texts of any length up to maxLength.
torch.onnx.export(dynamo=True) at opset 18 is what worked offline here (see /work/shared/OFFLINE.md).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

OPSET = 18


class _Logits2(torch.nn.Module):
    def __init__(self, model: torch.nn.Module):
        super().__init__()
        self.model = model

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.model(input_ids=input_ids, attention_mask=attention_mask).logits


class _Logits3(_Logits2):
    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor, token_type_ids: torch.Tensor) -> torch.Tensor:  # type: ignore[override]
        return self.model(input_ids=input_ids, attention_mask=attention_mask, token_type_ids=token_type_ids).logits


def export_onnx(model: torch.nn.Module, tokenizer, input_names: list[str], path: Path, max_length: int) -> None:
    model = model.to("cpu").eval()
    # two texts of different lengths, so neither axis can be specialised to a constant (0/1 or equal sizes)
    sample = tokenizer(["a first example text for export", "short"], padding=True, truncation=True,
                       max_length=max_length, return_tensors="pt")
    args = tuple(sample[name] for name in input_names)
    wrapper = (_Logits3(model) if "token_type_ids" in input_names else _Logits2(model)).eval()
    batch = torch.export.Dim("batch", min=1, max=4096)
    sequence = torch.export.Dim("sequence", min=1, max=max_length)
    dynamic_shapes = tuple({0: batch, 1: sequence} for _ in input_names)
    with torch.no_grad():
        program = torch.onnx.export(wrapper, args, dynamo=True, opset_version=OPSET, input_names=input_names,
                                    output_names=["logits"], dynamic_shapes=dynamic_shapes, optimize=True)
    program.save(str(path), external_data=False)


def check_onnx(model: torch.nn.Module, tokenizer, input_names: list[str], path: Path, texts: list[str],
               max_length: int, tolerance: float = 1e-4) -> float:
    """Runs the exported file in onnxruntime on real texts and returns the largest |logit difference| to PyTorch."""
    import onnxruntime as ort

    enc = tokenizer(texts, padding=True, truncation=True, max_length=max_length, return_tensors="pt")
    with torch.no_grad():
        expected = model.to("cpu").eval()(**{k: enc[k] for k in input_names}).logits.numpy()
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    got = session.run(["logits"], {k: enc[k].numpy().astype(np.int64) for k in input_names})[0]
    diff = float(np.abs(got - expected).max())
    if diff > tolerance:
        raise SystemExit(f"ONNX export disagrees with PyTorch by {diff:.2e} (> {tolerance}); not shipping it")
    return diff
