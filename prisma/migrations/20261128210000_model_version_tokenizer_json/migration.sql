-- A fine-tuned transformer tokenizes in Node from its own tokenizer.json, so the file travels with the
-- version in the database like the ONNX bytes do. Null for the hashed-linear model, which needs none.
ALTER TABLE "model_version" ADD COLUMN "tokenizer_json" TEXT;
