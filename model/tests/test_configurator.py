from __future__ import annotations

import pytest

from configurator import load_config

DEFAULTS = {"epochs": 3.0, "train_batch_size": 16, "init_from": "scratch", "fp16": False}


def test_config_file_then_command_line_override(tmp_path):
    cfg_file = tmp_path / "run.py"
    cfg_file.write_text('epochs = 4  # why: more passes\ninit_from = "cardiffnlp/bertweet-base-offensive"  # why\n')
    cfg = load_config(DEFAULTS, [str(cfg_file), "--train_batch_size=32", "--init_from=/models/local"])
    assert cfg == {"epochs": 4.0, "train_batch_size": 32, "init_from": "/models/local", "fp16": False}
    assert isinstance(cfg["epochs"], float)


def test_unknown_key_is_an_error(tmp_path):
    with pytest.raises(SystemExit, match="unknown key 'epoch'"):
        load_config(DEFAULTS, ["--epoch=2"])


def test_type_change_is_an_error():
    with pytest.raises(SystemExit, match="train_batch_size from command line should be int"):
        load_config(DEFAULTS, ["--train_batch_size=big"])
    with pytest.raises(SystemExit, match="fp16"):
        load_config(DEFAULTS, ["--fp16=1"])


def test_shipped_configs_load_against_train_defaults():
    import train
    from conftest import MODEL_DIR

    for path in sorted((MODEL_DIR / "configs").glob("*.py")):
        cfg = load_config(train.DEFAULTS, [str(path)])
        assert cfg["metric_for_best_model"] in ("f1_macro", "f1_binary", "auc_binary", "accuracy")
    recipe = load_config(train.DEFAULTS, [str(MODEL_DIR / "configs" / "bertweet_offensive.py")])
    assert recipe["init_from"] == "cardiffnlp/bertweet-base-offensive"
    assert recipe["normalization"] == "bertweet"


def test_every_config_value_says_why():
    from conftest import MODEL_DIR

    for path in sorted((MODEL_DIR / "configs").glob("*.py")):
        for line in path.read_text().splitlines():
            if "=" in line and not line.startswith("#"):
                assert "  # " in line, f"{path.name}: '{line}' has no comment saying why"
