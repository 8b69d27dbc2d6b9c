# The published case study's recipe: fine-tune cardiffnlp/bertweet-base-offensive (BERTweet trained on
# tweets, already fine-tuned on OLID offensive/not) into one output per workspace category.
# Needs network access to the Hugging Face hub (or a local copy of the checkpoint in init_from):
#   python model/prepare.py --input <export.jsonl> --out model/artifacts/data/mine
#   python model/train.py model/configs/bertweet_offensive.py --data_dir=model/artifacts/data/mine
#   npm run model:import -- model/artifacts/<version>
init_from = "cardiffnlp/bertweet-base-offensive"  # the case study's base: already separates offensive from not in tweets
max_length = 128  # BERTweet's position limit (130 - 2); chat lines and tweets fit
normalization = "bertweet"  # BERTweet was pretrained with @USER / HTTPURL placeholders
epochs = 4.0  # the case study's small data plateaus after 3-4 epochs; best epoch is kept anyway
train_batch_size = 16  # fits a 16 GB GPU at 128 tokens; small batches help on small label sets
eval_batch_size = 64  # no gradients at eval, so larger batches only save time
learning_rate = 2e-5  # the usual fine-tuning rate for base-size RoBERTa models; higher forgets pretraining
metric_for_best_model = "f1_macro"  # the fine-grained macro F1 the case study reports; rare categories count as much as common ones
optim = "adamw_torch"  # AdamW with decoupled weight decay, as the case study used
weight_decay = 0.01  # mild regularisation, standard for BERT-style fine-tuning
warmup_ratio = 0.1  # warm-up avoids wrecking the pretrained weights in the first steps
val_fraction = 0.1  # held out from train to pick the best epoch, when the export has no validation split
fp16 = True  # mixed precision on CUDA roughly halves the time; ignored on CPU
device = "auto"  # CUDA when present, else CPU (slow but works)
