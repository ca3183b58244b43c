import fs, { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { NodeFS } from '@electric-sql/pglite/nodefs';
import { createServer, type Server } from 'node:net';
import { PGLiteSocketHandler } from '@electric-sql/pglite-socket';
import { PGliteSessionQueue } from './pglite-session-queue.js';

/**
 * PostgreSQL embedded in this process: PGlite persisted in a data folder, served on a loopback
 * port by pglite-socket so that `pg` and everything built on it talk to it exactly as to a real
 * server. PGlite runs one query at a time; {@link PGliteSessionQueue} decides whose turn it is.
 */
export class EmbeddedPostgres {
  private constructor(
    private readonly db: PGlite,
    private readonly server: Server,
    private readonly connections: Set<PGLiteSocketHandler>,
    private readonly lockFile: string,
    readonly connectionString: string,
  ) {}

  /**
   * `durable` (the default): a commit is on disk before it is answered, see {@link SyncingNodeFS};
   * off only for throwaway data (tests), where the syncs would cost time and protect nothing.
   * `restoreFrom`: a data folder archived by {@link dumpDataDir}, unpacked into `dataDir` once its
   * `prepare` has made sure, with the folder locked, that the folder holds no database.
   */
  static async start(dataDir: string, options: { maxConnections?: number; durable?: boolean; restoreFrom?: ArchivedDataDir } = {}): Promise<EmbeddedPostgres> {
    const folder = resolve(dataDir);
    mkdirSync(dirname(folder), { recursive: true });
    const lockFile = `${folder}.lock`;
    takeLock(lockFile);
    let db: PGlite | undefined;
    try {
      options.restoreFrom?.prepare(folder);
      db = await PGlite.create({
        ...(options.durable === false
          ? { dataDir: folder }
          : { fs: new SyncingNodeFS(folder), startParams: [...PGlite.defaultStartParams.filter((param) => param !== '-F'), '-c', 'wal_sync_method=fsync'] }),
        ...(options.restoreFrom ? { loadDataDir: options.restoreFrom.archive } : {}),
      });
      // PGlite unpacks an archive with plain writes, which nothing syncs.
      if (options.restoreFrom && options.durable !== false) syncTree(folder);
      const queue = new PGliteSessionQueue(db);
      const connections = new Set<PGLiteSocketHandler>();
      const server = createServer((socket) => {
        const handler = new PGLiteSocketHandler({ queryQueue: queue as never, closeOnDetach: true });
        connections.add(handler);
        socket.once('close', () => connections.delete(handler));
        void handler.attach(socket);
      });
      server.maxConnections = options.maxConnections ?? 32;
      const port = await new Promise<number>((resolvePort, reject) => {
        server.once('error', reject);
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          if (address && typeof address === 'object') resolvePort(address.port);
          else reject(new Error('the embedded database got no port'));
        });
      });
      return new EmbeddedPostgres(db, server, connections, lockFile, `postgres://postgres@127.0.0.1:${port}/postgres`);
    } catch (error) {
      await db?.close();
      releaseLock(lockFile);
      throw error;
    }
  }

  /**
   * The data folder as an uncompressed tar, every file of it (PGlite's own archive): taken while no
   * query runs, so it is what a crash at this moment would leave, which PostgreSQL recovers from.
   */
  async dumpDataDir(): Promise<Uint8Array> {
    return new Uint8Array(await (await this.db.dumpDataDir('none')).arrayBuffer());
  }

  async stop(): Promise<void> {
    await Promise.all([...this.connections].map((handler) => handler.detach(true)));
    await new Promise((resolveClose) => this.server.close(resolveClose));
    await this.db.close();
    releaseLock(this.lockFile);
  }
}

/** Syncs every file and folder under `folder` to disk, the folder itself last. */
function syncTree(folder: string): void {
  for (const entry of fs.readdirSync(folder, { withFileTypes: true })) {
    const path = resolve(folder, entry.name);
    if (entry.isDirectory()) syncTree(path);
    else syncPath(path);
  }
  syncPath(folder);
}

function syncPath(path: string): void {
  const fd = fs.openSync(path, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}

export interface ArchivedDataDir {
  readonly archive: Blob;
  prepare(folder: string): void;
}

/** The part of Emscripten's module that PGlite leaves untyped and this file reaches into. */
interface EmscriptenModule {
  readonly FS: {
    readonly filesystems: {
      readonly NODEFS: {
        readonly stream_ops: { fsync?: (stream: { nfd?: number; node: unknown }) => number };
        tryFSOperation(operation: () => number): number;
        realPath(node: unknown): string;
      };
    };
  };
}

type EmscriptenOptions = Parameters<NodeFS['init']>[1] & { preRun?: ((module: EmscriptenModule) => void)[] };

/**
 * PGlite on Node writes straight to the data folder's files but syncs none of them: it starts
 * PostgreSQL with fsync off (-F), Emscripten's NODEFS has no fsync, and Emscripten's fdatasync
 * does nothing. So a commit sits in the operating system's cache, lost with a power cut. Here NODEFS
 * gets an fsync that reaches the disk, and PostgreSQL runs with fsync on, syncing its WAL with
 * fsync(): it then syncs what it syncs on a server, the WAL at every commit (one per group commit of
 * the event store) and the data files at checkpoints.
 */
class SyncingNodeFS extends NodeFS {
  override async init(pg: PGlite, options: EmscriptenOptions) {
    const { emscriptenOpts } = await super.init(pg, options);
    const addFsync = (module: EmscriptenModule): void => {
      const nodefs = module.FS.filesystems.NODEFS;
      nodefs.stream_ops.fsync = (stream: { nfd?: number; node: unknown }) =>
        // tryFSOperation turns a failed sync into an errno for PostgreSQL, which then stops rather than carry on.
        nodefs.tryFSOperation(() => {
          if (stream.nfd !== undefined) {
            fs.fsyncSync(stream.nfd);
            return 0;
          }
          // A directory (PostgreSQL syncs pg_wal after adding a segment): NODEFS keeps no descriptor for one.
          syncPath(nodefs.realPath(stream.node));
          return 0;
        });
    };
    return { emscriptenOpts: { ...emscriptenOpts, preRun: [...((emscriptenOpts as EmscriptenOptions).preRun ?? []), addFsync] } };
  }
}

/**
 * PGlite puts no lock on its folder and two processes writing one folder corrupt it, so the
 * folder is claimed by a lock file holding the owner's pid. A lock left by a dead process
 * (kill -9) is taken over.
 */
/**
 * The lock files this process holds. A lock naming this process's id that is not among them was
 * left by an earlier process that had the same id: in a container the API is PID 1 at every start.
 */
const HELD = new Set<string>();

function takeLock(lockFile: string): void {
  // Written aside, then linked into place: the lock appears atomically, never empty.
  const claim = `${lockFile}.${process.pid}`;
  writeFileSync(claim, String(process.pid));
  try {
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        linkSync(claim, lockFile);
        HELD.add(lockFile);
        return;
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
        const owner = Number(readFileSync(lockFile, 'utf8'));
        const leftByEarlierLife = owner === process.pid && !HELD.has(lockFile);
        if (!leftByEarlierLife && (!Number.isInteger(owner) || owner <= 0 || processIsAlive(owner))) {
          throw new Error(`the embedded database ${lockFile.replace(/\.lock$/, '')} is in use by process ${owner || 'unknown'}`, { cause: error });
        }
        rmSync(lockFile, { force: true });
      }
    }
    throw new Error(`could not lock ${lockFile}`);
  } finally {
    rmSync(claim, { force: true });
  }
}

function releaseLock(lockFile: string): void {
  rmSync(lockFile, { force: true });
  HELD.delete(lockFile);
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
