import type { PGlite } from "@electric-sql/pglite";

type TEntry = { handlerId: number; message: Uint8Array; onData: (data: Uint8Array) => void; resolve: (bytes: number) => void; reject: (err: unknown) => void };

// Frontend message types that open or continue an extended-protocol sequence (Parse, Bind, Describe,
// Execute, Close, Flush, and the COPY sub-protocol); the sequence ends with Sync ('S'). A simple Query ('Q')
// is a unit of its own.
const SEQUENCE_MESSAGES = new Set(["P", "B", "D", "E", "C", "H", "d", "c", "f"].map((c) => c.charCodeAt(0)));
const SYNC = "S".charCodeAt(0);
const TERMINATE = "X".charCodeAt(0);

/**
 * The order in which PGlite's socket server feeds its connections' messages into PGlite's ONE backend
 * session. pglite-socket's own queue keeps a connection's messages together only inside a transaction;
 * outside one it interleaves them message by message, so connection A's Parse/Bind/Execute could be split
 * by connection B's Parse of the (shared) unnamed statement, and A's Bind then met B's statement:
 * "bind message supplies 3 parameters, but prepared statement "" requires 2" (issue 13, item 8: under a
 * snapshot, the worker and requests at once). Here a connection that has begun an extended-protocol
 * sequence keeps the session until its Sync, and one inside a transaction keeps it until the transaction
 * ends (as before). Same interface as pglite-socket's QueryQueueManager, which it replaces.
 */
export class EmbeddedQueryQueue {
  private queue: TEntry[] = [];
  private isProcessing = false;
  /** the connection that holds the session now (an open sequence or transaction), or null */
  private owner: number | null = null;

  constructor(private readonly db: PGlite) {}

  enqueue(handlerId: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ handlerId, message, onData, resolve, reject });
      if (!this.isProcessing) void this.processQueue();
    });
  }

  private async processQueue(): Promise<void> {
    if (this.isProcessing) return;
    this.isProcessing = true;
    try {
      while (this.queue.length > 0) {
        const index = this.owner === null ? 0 : this.queue.findIndex((e) => e.handlerId === this.owner);
        // the owner's next message has not arrived yet: everyone else waits for it
        if (index === -1) break;
        const [entry] = this.queue.splice(index, 1);
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(entry.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                entry.onData(data);
              },
            }),
          );
        } catch (err) {
          this.owner = null;
          entry.reject(err);
          continue;
        }
        this.owner = this.nextOwner(entry);
        entry.resolve(bytes);
      }
    } finally {
      this.isProcessing = false;
    }
  }

  private nextOwner(entry: TEntry): number | null {
    const type = entry.message[0];
    if (type === TERMINATE) return null;
    if (this.db.isInTransaction()) return entry.handlerId;
    // a startup packet begins with its length (first byte 0), never a message type
    if (type !== SYNC && SEQUENCE_MESSAGES.has(type)) return entry.handlerId;
    return null;
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(handlerId: number): void {
    this.queue = this.queue.filter((e) => {
      if (e.handlerId !== handlerId) return true;
      e.reject(new Error("Handler disconnected"));
      return false;
    });
  }

  /** A connection that went away while holding the session: roll back its transaction and let the others on. */
  async clearTransactionIfNeeded(handlerId: number): Promise<void> {
    if (this.owner !== handlerId) return;
    if (this.db.isInTransaction()) await this.db.exec("ROLLBACK");
    this.owner = null;
    await this.processQueue();
  }
}
