"""
Text normalisation applied before tokenizing, identical in Python (training) and in Node
(server/model/transformer/normalize-text.ts, serving); a parity test checks both on the same strings.

"bertweet": BERTweet was pretrained on tweets whose user mentions read "@USER" and whose links read
"HTTPURL"; feeding it raw handles and links wastes its vocabulary on noise it never saw.
"""

from __future__ import annotations

import re

# ASCII classes on purpose: JavaScript's \w is ASCII-only, Python's is Unicode.
_USER = re.compile(r"(?<![A-Za-z0-9_])@[A-Za-z0-9_]+")
_URL = re.compile(r"(?<![A-Za-z0-9_])(?:https?://\S+|www\.\S+|https?(?![A-Za-z0-9_]))", re.IGNORECASE)

NORMALIZATIONS = ("none", "bertweet")


def normalize_text(text: str, normalization: str) -> str:
    if normalization == "none":
        return text
    if normalization == "bertweet":
        return _USER.sub("@USER", _URL.sub("HTTPURL", text))
    raise ValueError(f"unknown normalization {normalization!r}; expected one of {NORMALIZATIONS}")


def default_normalization(checkpoint: str, model_type: str | None) -> str:
    """BERTweet-family checkpoints (vinai/bertweet-*, cardiffnlp/bertweet-*) expect tweet normalisation."""
    name = f"{checkpoint} {model_type or ''}".lower()
    return "bertweet" if "bertweet" in name else "none"
