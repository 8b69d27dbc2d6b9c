import pg from "pg";
import { canListen } from "../db/embedded.ts";

/**
 * One LISTEN connection per API process on the `modloop_serving` channel, which triggers notify when a
 * workspace's settings, taxonomy or models change (payload `ws:<id>`) and when a key is revoked or
 * changed (`key:<sha256>`). The caches drop what changed, so a promotion or a revocation takes effect
 * on the next request. If the connection drops, it reconnects with backoff; meanwhile the caches fall
 * back to their time limit (MODLOOP_API_CACHE_MS).
 */
export type TServingNotifications = { stop: () => Promise<void>; isListening: () => boolean };

export const SERVING_CHANNEL = "modloop_serving";

export function listenForServingChanges(opts: {
  connectionString: string;
  onChange: (payload: string) => void;
  /** called after every (re)connect: anything may have changed while no one listened */
  onReconnect: () => void;
  log?: (message: string) => void;
}): TServingNotifications {
  const log = opts.log ?? (() => {});
  let client: pg.Client | null = null;
  let isStopped = false;
  let isListening = false;
  let retryMs = 500;
  let timer: NodeJS.Timeout | null = null;

  const connect = async () => {
    if (isStopped) return;
    const c = new pg.Client({ connectionString: opts.connectionString, application_name: "modloop-api-listen" });
    c.on("notification", (n) => {
      if (n.channel === SERVING_CHANNEL && n.payload) opts.onChange(n.payload);
    });
    c.on("error", (err) => {
      log(`change notifications lost (${err.message}); caches fall back to their time limit until reconnected`);
      isListening = false;
      c.end().catch(() => {});
      schedule();
    });
    try {
      await c.connect();
      await c.query(`LISTEN ${SERVING_CHANNEL}`);
      if (isStopped) {
        await c.end();
        return;
      }
      client = c;
      isListening = true;
      retryMs = 500;
      opts.onReconnect();
    } catch (err) {
      log(`cannot listen for changes (${(err as Error).message}); retrying in ${retryMs} ms`);
      c.end().catch(() => {});
      schedule();
    }
  };
  const schedule = () => {
    if (isStopped || timer) return;
    timer = setTimeout(() => {
      timer = null;
      void connect();
    }, retryMs);
    timer.unref();
    retryMs = Math.min(retryMs * 2, 30_000);
  };
  // The embedded database (PGlite, one session behind its socket server) breaks under a LISTEN
  // connection (see server/webhooks/start-webhook-worker.ts): there the caches' time limit is the path.
  if (canListen()) void connect();
  else log("embedded database: no change notifications; settings, models and keys are re-read after MODLOOP_API_CACHE_MS");
  return {
    isListening: () => isListening,
    stop: async () => {
      isStopped = true;
      if (timer) clearTimeout(timer);
      isListening = false;
      await client?.end().catch(() => {});
    },
  };
}
