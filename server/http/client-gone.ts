/**
 * The signal that aborts when a request's client goes away. Next.js wires `request.signal` to the
 * connection itself; the fast lane (fast-lane.ts) registers its own here instead of passing it into the
 * web Request, because a Request built with a signal costs twice the CPU of one without (~20 µs more
 * per request here, a few percent of a claim's whole cost in the web process).
 * Kept on globalThis: the fast lane's and Next.js's copies of the route modules must see the same map.
 */
const KEY = Symbol.for("modloop.clientGoneSignals");
const holder = globalThis as unknown as { [KEY]?: WeakMap<Request, AbortSignal> };
const signals = (holder[KEY] ??= new WeakMap());

export function setClientGoneSignal(req: Request, signal: AbortSignal): void {
  signals.set(req, signal);
}

/** Aborts when the client that sent `req` disconnects before its answer was written. */
export function clientGoneSignal(req: Request): AbortSignal {
  return signals.get(req) ?? req.signal;
}
