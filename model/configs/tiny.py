# A tiny BERT trained from scratch in seconds on CPU: the tests and offline demos use it.
# python model/train.py model/configs/tiny.py --data_dir=<prepared folder>
init_from = "scratch"  # no pretrained weights can be downloaded offline; builds BERT + WordPiece from the train texts
max_length = 32  # test texts are a few words; short sequences keep CPU steps fast
scratch_vocab_size = 300  # enough to cover a few hundred synthetic words
scratch_hidden_size = 32  # smallest size that still learns the synthetic signal
scratch_layers = 2  # two layers exercise the stacked-attention export path
scratch_heads = 2  # hidden 32 / 2 heads = 16 dims per head
scratch_intermediate_size = 64  # 2x hidden, small on purpose
epochs = 3.0  # three passes separate the synthetic keywords from neutral words
train_batch_size = 16  # small batches give more steps on a small set
eval_batch_size = 64  # evaluation has no gradients; larger is fine
learning_rate = 3e-3  # a from-scratch tiny model needs a far larger rate than fine-tuning (2e-5)
metric_for_best_model = "f1_macro"  # same selection rule as the real recipe
optim = "adamw_torch"  # same optimizer as the real recipe
val_fraction = 0.1  # exercises best-epoch selection like a real run
logging_steps = 1000  # quiet logs in tests
device = "cpu"  # CI has no GPU; results are deterministic on CPU
