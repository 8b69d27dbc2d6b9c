"""
nanoGPT-style run configuration: a script declares its defaults, a config file (plain Python,
one assignment per knob with a trailing comment saying why) overrides them, and `--key=value`
on the command line overrides both. Unknown keys and type changes are errors, so a typo in a
config never silently trains with a default.

    python model/train.py model/configs/tiny.py --epochs=2 --out_dir=model/artifacts/x
"""

from __future__ import annotations

import ast
import runpy
from typing import Any


def load_config(defaults: dict[str, Any], argv: list[str]) -> dict[str, Any]:
    config = dict(defaults)
    for arg in argv:
        if not arg.startswith("--"):
            values = runpy.run_path(arg)
            for key, value in values.items():
                if key.startswith("_") or callable(value) or type(value).__name__ == "module":
                    continue
                _set(config, key, value, source=arg)
            continue
        if "=" not in arg:
            raise SystemExit(f"config: expected --key=value, got {arg!r}")
        key, raw = arg[2:].split("=", 1)
        try:
            value = ast.literal_eval(raw)
        except (SyntaxError, ValueError):
            value = raw  # a bare string such as --init_from=bert-base-uncased
        _set(config, key, value, source="command line")
    return config


def _set(config: dict[str, Any], key: str, value: Any, source: str) -> None:
    if key not in config:
        raise SystemExit(f"config: unknown key {key!r} (from {source}); known keys: {', '.join(sorted(config))}")
    default = config[key]
    if default is not None and value is not None and not _compatible(default, value):
        raise SystemExit(f"config: {key} from {source} should be {type(default).__name__}, got {type(value).__name__} ({value!r})")
    if isinstance(default, float) and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    config[key] = value


def _compatible(default: Any, value: Any) -> bool:
    if isinstance(default, bool) or isinstance(value, bool):
        return isinstance(default, bool) and isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float))
    return isinstance(value, type(default))
