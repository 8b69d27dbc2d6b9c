import type { ApiKeyCache } from "./api-key-cache.ts";
import type { BatchScorer } from "./batch-scorer.ts";
import type { LiveStore } from "./live-store.ts";
import type { ServingContextCache } from "./serving-context.ts";

/** The per-process state every machine-API request shares: caches, the batched scorer, the live store. */
export type TServingServices = {
  keys: ApiKeyCache;
  contexts: ServingContextCache;
  scorer: BatchScorer;
  store: LiveStore;
};
