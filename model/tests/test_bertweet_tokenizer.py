"""BERTweet has no tokenizer.json upstream: the converted one must give the slow tokenizer's ids."""

from __future__ import annotations

from transformers.models.bertweet.tokenization_bertweet import BertweetTokenizer

from tokenizer_tools import bertweet_to_fast

# fastBPE files: merges "a b count" learned on words ending in </w>; vocab "<token> <count>", "@@" = word continues
CODES = ["h e", "he l", "hel l", "hell o</w>", "w o", "wo r", "wor l", "worl d</w>", "t h", "th e</w>", "@ U", "@U S", "@US E",
         "@USE R</w>", "i d", "id i", "idi o", "idio t</w>", "o u</w>", "y ou</w>", "z z</w>"]
VOCAB = ["hello", "world", "the", "he@@", "hel@@", "hell@@", "wo@@", "wor@@", "worl@@", "th@@", "h@@", "e@@", "l@@", "o", "w@@",
         "r@@", "d", "t@@", "@USER", "idiot", "id@@", "i@@", "you", "y@@", "ou", "!", "a", "s"]


def make_slow(tmp_path) -> BertweetTokenizer:
    (tmp_path / "bpe.codes").write_text("".join(f"{c} 10\n" for c in CODES), encoding="utf-8")
    (tmp_path / "vocab.txt").write_text("".join(f"{v} 10\n" for v in VOCAB), encoding="utf-8")
    return BertweetTokenizer(vocab_file=str(tmp_path / "vocab.txt"), merges_file=str(tmp_path / "bpe.codes"))


def as_slow_ids(fast_ids: list[int], slow: BertweetTokenizer) -> list[int]:
    # extra ids (intermediate fastBPE pieces) start as copies of <unk> in the model
    return [i if i < len(slow) else slow.unk_token_id for i in fast_ids]


def test_converted_tokenizer_matches_slow_ids(tmp_path):
    slow = make_slow(tmp_path)
    fast = bertweet_to_fast(slow)
    texts = ["hello world", "@USER you idiot !", "the help worlds", "hellx wor", "a s  the", "unknown ✓ chars", "h", "zz top"]
    for text in texts:
        assert as_slow_ids(fast(text)["input_ids"], slow) == slow(text)["input_ids"], text
    assert fast("hello world")["input_ids"] == slow("hello world")["input_ids"]
    assert fast.pad_token_id == slow.pad_token_id == 1
    assert fast.mask_token_id == slow.mask_token_id


def test_extra_pieces_get_unk_embeddings(tmp_path):
    from transformers import RobertaConfig, RobertaForSequenceClassification

    from tokenizer_tools import grow_embeddings_for_tokenizer

    slow = make_slow(tmp_path)
    fast = bertweet_to_fast(slow)
    model = RobertaForSequenceClassification(RobertaConfig(vocab_size=len(slow), hidden_size=16, num_hidden_layers=1,
                                                           num_attention_heads=2, intermediate_size=32, num_labels=2))
    added = grow_embeddings_for_tokenizer(model, fast)
    weight = model.get_input_embeddings().weight
    assert added == len(fast) - len(slow) > 0
    assert weight.shape[0] == len(fast)
    assert (weight[len(slow):] == weight[slow.unk_token_id]).all()
