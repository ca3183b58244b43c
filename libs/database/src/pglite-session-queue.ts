import type { PGlite } from '@electric-sql/pglite';

interface QueuedMessage {
  readonly connection: number;
  readonly message: Uint8Array;
  readonly onData: (data: Uint8Array) => void;
  readonly resolve: (bytes: number) => void;
  readonly reject: (error: unknown) => void;
}

/** Extended-query messages: Parse, Bind, Describe, Execute, Close, Flush. Sync ('S') ends the run. */
const EXTENDED_QUERY = new Set(['P', 'B', 'D', 'E', 'C', 'H'].map((c) => c.charCodeAt(0)));
const SYNC = 'S'.charCodeAt(0);
const SIMPLE_QUERY = 'Q'.charCodeAt(0);

/**
 * PGlite is one PostgreSQL session shared by every socket connection. pglite-socket's own queue
 * keeps a transaction to its connection, but lets another connection's messages in between an
 * extended query's Parse and Bind, which binds one client's parameters to another's statement
 * ("bind message supplies 1 parameters, but prepared statement requires 2") as soon as two
 * pooled connections are busy. This queue gives the session to one connection from its first
 * extended-query message up to its Sync, and for as long as it holds a transaction open.
 */
export class PGliteSessionQueue {
  private readonly queue: QueuedMessage[] = [];
  private owner: number | undefined;
  private processing = false;
  /** Connections gone while one of their messages was running: the session must not stay theirs. */
  private readonly closed = new Set<number>();

  constructor(private readonly db: PGlite) {}

  enqueue(connection: number, message: Uint8Array, onData: (data: Uint8Array) => void): Promise<number> {
    return new Promise((resolve, reject) => {
      this.queue.push({ connection, message, onData, resolve, reject });
      void this.process();
    });
  }

  getQueueLength(): number {
    return this.queue.length;
  }

  clearQueueForHandler(connection: number): void {
    this.closed.add(connection);
    for (let i = this.queue.length - 1; i >= 0; i--) {
      if (this.queue[i].connection === connection) this.queue.splice(i, 1)[0].reject(new Error('connection closed'));
    }
  }

  /** A connection that goes away gives up the session; its open transaction is rolled back. */
  async clearTransactionIfNeeded(connection: number): Promise<void> {
    this.closed.add(connection);
    if (this.owner !== connection) return;
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = undefined;
    await this.process();
  }

  private async process(): Promise<void> {
    if (this.processing) return;
    this.processing = true;
    try {
      for (;;) {
        const index = this.owner === undefined ? 0 : this.queue.findIndex((item) => item.connection === this.owner);
        if (index === -1 || this.queue.length === 0) return;
        const item = this.queue.splice(index, 1)[0];
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          this.owner = undefined;
          item.reject(error);
          continue;
        }
        this.owner = this.holdsSession(item.message[0]) ? item.connection : undefined;
        if (this.owner !== undefined && this.closed.has(this.owner)) await this.release();
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  }

  /** Gives up the session of a connection that closed while its message ran. */
  private async release(): Promise<void> {
    if (this.db.isInTransaction()) await this.db.exec('ROLLBACK');
    this.owner = undefined;
  }

  private holdsSession(messageType: number): boolean {
    if (EXTENDED_QUERY.has(messageType)) return true;
    if (messageType === SYNC || messageType === SIMPLE_QUERY) return this.db.isInTransaction();
    return this.owner !== undefined && this.db.isInTransaction();
  }
}
