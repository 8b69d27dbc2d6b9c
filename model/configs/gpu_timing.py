# Times the case study's recipe on a GPU machine that cannot download checkpoints: a BERT-base-sized
# model (the same shape and compute as bertweet-base: 12 layers, hidden 768) trained from scratch with
# the recipe's knobs on TweetEval offensive (prepared from ../shared/data). The F1 it reaches says
# nothing about the pretrained recipe; the seconds per epoch are what this run is for.
#   python model/prepare.py --input ../shared/data/tweeteval-offensive --out model/artifacts/data/tweeteval-offensive
#   python3 model/train.py model/configs/gpu_timing.py --data_dir=model/artifacts/data/tweeteval-offensive
init_from = "scratch"  # no hub access on the GPU machine; same architecture size as bertweet-base instead
max_length = 128  # the recipe's sequence limit (BERTweet: 130 positions - 2)
scratch_vocab_size = 30000  # BERT-base's vocabulary size; embeddings cost little compute either way
scratch_hidden_size = 768  # base size, as bertweet-base / roberta-base
scratch_layers = 12  # base size
scratch_heads = 12  # base size
scratch_intermediate_size = 3072  # base size
epochs = 4.0  # the recipe's epochs, so the time is that of a full recipe run
train_batch_size = 16  # the recipe's batch size
eval_batch_size = 64  # the recipe's eval batch size
learning_rate = 2e-5  # the recipe's rate (too low for scratch training, which does not matter for timing)
metric_for_best_model = "f1_macro"  # same per-epoch evaluation and best-epoch selection as the recipe
optim = "adamw_torch"  # the recipe's optimizer
weight_decay = 0.01  # the recipe's regularisation
warmup_ratio = 0.1  # the recipe's warm-up
fp16 = True  # the recipe's mixed precision on CUDA
device = "cuda"  # fail loudly if the GPU is not visible rather than time the CPU
logging_steps = 200  # a few progress lines per epoch
