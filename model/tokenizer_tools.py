"""
Tokenizers for the pipeline. The app tokenizes in Node from a Hugging Face tokenizer.json, so every
model this pipeline ships must have one:
  - fast tokenizers (BERT WordPiece, RoBERTa BPE, ...) save theirs directly;
  - BERTweet only exists as a slow Python tokenizer (fastBPE vocab.txt + bpe.codes), so it is converted
    into an equivalent `tokenizers` BPE model ("@@"-continued pieces become the "</w>"-terminated form);
  - "scratch" runs (tests, offline demos) train a small WordPiece vocabulary on the training texts.
"""

from __future__ import annotations

import torch
from tokenizers import Tokenizer, decoders, models, normalizers, pre_tokenizers, processors, trainers
from transformers import PreTrainedTokenizerFast

BERT_SPECIALS = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"]


def _bert_wordpiece(model: models.WordPiece) -> PreTrainedTokenizerFast:
    tok = Tokenizer(model)
    tok.normalizer = normalizers.BertNormalizer(lowercase=True)
    tok.pre_tokenizer = pre_tokenizers.BertPreTokenizer()
    tok.decoder = decoders.WordPiece()
    return tok


def _wrap_bert(tok: Tokenizer) -> PreTrainedTokenizerFast:
    cls_id, sep_id = tok.token_to_id("[CLS]"), tok.token_to_id("[SEP]")
    tok.post_processor = processors.TemplateProcessing(
        single="[CLS] $A [SEP]", pair="[CLS] $A [SEP] $B:1 [SEP]:1", special_tokens=[("[CLS]", cls_id), ("[SEP]", sep_id)]
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, unk_token="[UNK]", pad_token="[PAD]", cls_token="[CLS]",
                                   sep_token="[SEP]", mask_token="[MASK]", model_input_names=["input_ids", "attention_mask", "token_type_ids"])


def train_wordpiece(texts: list[str], vocab_size: int) -> PreTrainedTokenizerFast:
    tok = _bert_wordpiece(models.WordPiece(unk_token="[UNK]"))
    tok.train_from_iterator(texts, trainers.WordPieceTrainer(vocab_size=vocab_size, special_tokens=BERT_SPECIALS))
    return _wrap_bert(tok)


def wordpiece_from_vocab(tokens: list[str]) -> PreTrainedTokenizerFast:
    """A BERT-style WordPiece tokenizer over a given vocabulary (deterministic, unlike training: for fixtures)."""
    vocab = {t: i for i, t in enumerate(BERT_SPECIALS + [t for t in tokens if t not in BERT_SPECIALS])}
    return _wrap_bert(_bert_wordpiece(models.WordPiece(vocab=vocab, unk_token="[UNK]")))


def bertweet_to_fast(slow) -> PreTrainedTokenizerFast:
    """
    Rebuilds a slow BertweetTokenizer as a `tokenizers` BPE that gives the same ids (checked in the tests).
    fastBPE marks non-final pieces with a trailing "@@" and learns merges on words ending in "</w>";
    `tokenizers` expresses the same with end_of_word_suffix="</w>", so "ab@@" -> "ab" and "cd" -> "cd</w>".
    `tokenizers` needs every merge operand and result in its vocabulary, fastBPE does not (a final piece
    missing from its vocabulary becomes <unk>). Those intermediate pieces get extra ids after the model's
    vocabulary; train.py grows the embedding matrix to match and starts those rows as copies of <unk>,
    so the model sees exactly what it would have seen through the slow tokenizer.
    """
    specials = [slow.bos_token, slow.pad_token, slow.eos_token, slow.unk_token]
    vocab: dict[str, int] = {}
    for token, idx in slow.encoder.items():
        if token in specials:
            vocab[token] = idx
        elif token.endswith("@@"):
            vocab.setdefault(token[:-2], idx)
        else:
            vocab.setdefault(token + "</w>", idx)
    next_id = len(slow.encoder)
    if slow.mask_token not in vocab:
        vocab[slow.mask_token] = next_id  # the slow tokenizer appends <mask> right after its vocabulary
        next_id += 1
    merges = sorted(slow.bpe_ranks, key=slow.bpe_ranks.get)
    for a, b in merges:
        for piece in (a, b, a + b):
            if piece not in vocab:
                vocab[piece] = next_id
                next_id += 1
    tok = Tokenizer(models.BPE(vocab=vocab, merges=merges, unk_token=slow.unk_token, end_of_word_suffix="</w>", fuse_unk=False))
    tok.pre_tokenizer = pre_tokenizers.WhitespaceSplit()
    tok.decoder = decoders.BPEDecoder(suffix="</w>")
    tok.add_special_tokens(specials + [slow.mask_token])
    bos, eos = slow.bos_token, slow.eos_token
    tok.post_processor = processors.TemplateProcessing(
        single=f"{bos} $A {eos}", pair=f"{bos} $A {eos} {eos} $B {eos}",
        special_tokens=[(bos, slow.encoder[bos]), (eos, slow.encoder[eos])],
    )
    return PreTrainedTokenizerFast(tokenizer_object=tok, bos_token=bos, eos_token=eos, unk_token=slow.unk_token,
                                   pad_token=slow.pad_token, cls_token=slow.cls_token, sep_token=slow.sep_token,
                                   mask_token=slow.mask_token, model_input_names=["input_ids", "attention_mask"])


def grow_embeddings_for_tokenizer(model, tokenizer) -> int:
    """Adds embedding rows for ids the tokenizer has beyond the model's vocabulary, initialised as <unk>'s row."""
    embeddings = model.get_input_embeddings()
    old = embeddings.num_embeddings
    extra = len(tokenizer) - old
    if extra <= 0:
        return 0
    model.resize_token_embeddings(len(tokenizer), mean_resizing=False)
    with torch.no_grad():
        weight = model.get_input_embeddings().weight
        weight[old:] = weight[tokenizer.unk_token_id]
    return extra


def ensure_fast(tokenizer) -> PreTrainedTokenizerFast:
    if getattr(tokenizer, "backend_tokenizer", None) is not None:
        return tokenizer
    if type(tokenizer).__name__ == "BertweetTokenizer":
        return bertweet_to_fast(tokenizer)
    raise SystemExit(
        f"{type(tokenizer).__name__} has no tokenizer.json form, so the app could not tokenize for it in Node; "
        "pick a checkpoint with a fast tokenizer (BERT, RoBERTa, DeBERTa, BERTweet ...)"
    )
