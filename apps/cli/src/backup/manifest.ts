import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ChainLink } from '#event-store';

const FORMAT = 'health-support-backup/1';

/**
 * What a backup holds, written beside it (`<file>.manifest.json`): enough for a restore to prove
 * it brought back exactly that state, and to name the master key it needs but does not carry.
 */
export interface BackupManifest {
  readonly format: typeof FORMAT;
  readonly backend: 'server' | 'embedded';
  readonly createdAt: string;
  readonly file: string;
  /** Of the backup file: a truncated or damaged copy is refused before anything is restored. */
  readonly sha256: string;
  readonly postgresVersion: string;
  /** The server's backups: pg_restore must be at least this version to read the dump. */
  readonly pgDumpVersion?: string;
  /** The log's hash-chain head when the backup was taken; null where the log is not in this database (EventStoreDB). */
  readonly log: { readonly position: string; readonly hash: string } | null;
  /** `readModelChecksum` of each read model built at that moment. */
  readonly readModels: Readonly<Record<string, string>>;
  /** `masterKeyId` of the key sealing the personal data; null when the backup could not read it. */
  readonly masterKeyId: string | null;
  readonly masterKey: string;
}

export type ManifestContent = Omit<BackupManifest, 'format' | 'createdAt' | 'file' | 'sha256' | 'masterKey' | 'log'> & { readonly log: ChainLink | null };

export const manifestFileOf = (file: string) => `${file}.manifest.json`;

export async function writeManifest(file: string, content: ManifestContent): Promise<BackupManifest> {
  const manifest: BackupManifest = {
    format: FORMAT,
    createdAt: new Date().toISOString(),
    file: basename(file),
    sha256: await sha256Of(file),
    ...content,
    log: content.log && { position: content.log.position.toString(), hash: content.log.hash },
    masterKey: 'not in this backup: keep it apart; a restore needs it (PERSONAL_DATA_KEY, PERSONAL_DATA_KEY_FILE or --key-file)',
  };
  await writeFile(manifestFileOf(file), `${JSON.stringify(manifest, null, 2)}\n`, { flag: 'wx' });
  return manifest;
}

/** The manifest of `file`, refused when it is missing, of another format, or does not match the file. */
export async function readManifest(file: string): Promise<BackupManifest> {
  if (!existsSync(file)) throw new Error(`${file} does not exist`);
  const manifestFile = manifestFileOf(file);
  if (!existsSync(manifestFile)) throw new Error(`${manifestFile} is missing: a backup is restored with the manifest written beside it`);
  const manifest = JSON.parse(await readFile(manifestFile, 'utf8')) as BackupManifest;
  // The file's own word on its format is only a claim until checked.
  if ((manifest.format as string) !== FORMAT) throw new Error(`${manifestFile} is not a manifest of ${FORMAT as string}`);
  if ((await sha256Of(file)) !== manifest.sha256)
    throw new Error(`${file} does not match its manifest's checksum: it is damaged or truncated, or another file`);
  return manifest;
}

function sha256Of(file: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(file)
      .on('data', (chunk) => hash.update(chunk))
      .once('error', reject)
      .once('end', () => resolve(hash.digest('hex')));
  });
}
