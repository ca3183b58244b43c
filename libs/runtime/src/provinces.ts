import { dirname, join } from 'node:path';
import { DEFAULT_LETTERHEAD, type Letterhead } from '#documents';
import { type AppConfig, ConfigError, PROVINCE_ID } from './config.js';

/**
 * The other provinces one process serves, from the JSON file PROVINCES_FILE names: an array of
 *
 *     { "id": "lam-dong", "name": "Lâm Đồng", "policyDir": "policies/lam-dong",
 *       "databaseUrl": "postgres://…/lam_dong", "adminPassword": "…", "letterhead": { … } }
 *
 * Each province is a tenant with a database of its own: its log, read models, users, personal data
 * keys and generated passwords are apart from every other's, so no query of one can reach
 * another's rows, and a province is backed up, restored, rebuilt or moved on its own. With the
 * embedded database its folder is `<data>/provinces/<id>/pglite`; with a server each names its
 * database (`databaseUrl`, and `databaseOwnerUrl` for least privilege). `national: true` makes
 * the entry the national level: it publishes no policy and its auditors read the roll-up of all.
 */
export interface ProvinceEntry {
  readonly id: string;
  readonly name: string;
  readonly policyDir?: string;
  readonly databaseUrl?: string;
  readonly databaseOwnerUrl?: string;
  readonly adminPassword?: string;
  readonly letterhead?: Partial<Letterhead>;
  readonly national?: boolean;
}

const ENTRY_FIELDS = new Set(['id', 'name', 'policyDir', 'databaseUrl', 'databaseOwnerUrl', 'adminPassword', 'letterhead', 'national']);
const LETTERHEAD_FIELDS = new Set(['parentBody', 'issuer', 'issuerCode', 'place', 'signerTitle', 'signerName', 'reportSubject']);

/** Every province's configuration but the process's own (`base`), derived from it; every problem of the file reported together. */
export function provinceConfigs(base: AppConfig, fileText: string): AppConfig[] {
  const problems: string[] = [];
  let entries: unknown;
  try {
    entries = JSON.parse(fileText);
  } catch {
    throw new ConfigError(['PROVINCES_FILE is not JSON']);
  }
  if (!Array.isArray(entries)) throw new ConfigError(['PROVINCES_FILE must hold an array of provinces']);
  const seen = new Set([base.province.id]);
  const configs = entries.flatMap((entry: unknown, n): AppConfig[] => {
    const at = `PROVINCES_FILE[${n}]`;
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      problems.push(`${at} must be an object`);
      return [];
    }
    const province = entry as Record<string, unknown>;
    for (const field of Object.keys(province)) if (!ENTRY_FIELDS.has(field)) problems.push(`${at}.${field} is not a setting of a province`);
    const text = (field: string, required: boolean) => {
      const value = province[field];
      if (value === undefined && !required) return undefined;
      if (typeof value !== 'string' || value.trim() === '') {
        problems.push(`${at}.${field} must be a non-empty string`);
        return undefined;
      }
      return value;
    };
    const id = text('id', true);
    const name = text('name', true);
    if (id !== undefined && !PROVINCE_ID.test(id)) problems.push(`${at}.id must be lower-case letters, digits and dashes, starting with a letter`);
    if (id !== undefined && seen.has(id)) problems.push(`${at}.id ${id} is taken by another province`);
    if (id !== undefined) seen.add(id);
    const databaseUrl = text('databaseUrl', false);
    const ownerUrl = text('databaseOwnerUrl', false);
    const adminPassword = text('adminPassword', false);
    if (adminPassword !== undefined && adminPassword.length < 12) problems.push(`${at}.adminPassword must be at least 12 characters`);
    if (base.database.kind === 'server' && databaseUrl === undefined) problems.push(`${at}.databaseUrl is needed: the provinces' databases are on a server`);
    if (base.eventStore.kind !== 'postgres') problems.push(`${at}: provinces keep their logs in PostgreSQL; EVENTSTORE_URL serves one province`);
    const national = province.national;
    if (national !== undefined && typeof national !== 'boolean') problems.push(`${at}.national must be true or false`);
    const letterhead = province.letterhead;
    if (letterhead !== undefined && (typeof letterhead !== 'object' || letterhead === null || Array.isArray(letterhead)))
      problems.push(`${at}.letterhead must be an object`);
    const printed = (letterhead ?? {}) as Record<string, unknown>;
    for (const [field, value] of Object.entries(printed))
      if (!LETTERHEAD_FIELDS.has(field) || typeof value !== 'string' || value.trim() === '' || value.length > 120 || /[\r\n]/.test(value))
        problems.push(`${at}.letterhead.${field} must be one of ${[...LETTERHEAD_FIELDS].join(', ')}, a line of at most 120 characters`);
    if (id === undefined || name === undefined) return [];
    // Beside the process's own data: generated passwords, the personal data key, the embedded database.
    const folder = join(dirname(base.generatedSecretsFile), 'provinces', id);
    const { adminPassword: _shared, ...auth } = base.auth;
    const { demo: _demo, provincesFile: _file, ...inherited } = base;
    return [
      {
        ...inherited,
        province: { id, name },
        ...(national === true ? { nationalRollUp: true } : {}),
        database:
          base.database.kind === 'server'
            ? { kind: 'server', url: databaseUrl ?? '', ...(ownerUrl ? { ownerUrl } : {}) }
            : { kind: 'embedded', dataDir: join(folder, 'pglite') },
        policyDir: text('policyDir', false) ?? join(base.policyDir, id),
        generatedSecretsFile: join(folder, 'generated-passwords.txt'),
        personalData: { file: join(folder, 'personal-data.key') },
        auth: { ...auth, audience: id, ...(adminPassword ? { adminPassword } : {}) },
        // Not the process's own letterhead: its parent body and signer are another province's.
        letterhead: {
          ...DEFAULT_LETTERHEAD,
          issuer: `SỞ Y TẾ TỈNH ${name.toLocaleUpperCase('vi')}`,
          place: name,
          // Not the process's own resolution either: by default the province's policies, in general.
          reportSubject: `các chính sách hỗ trợ chăm sóc sức khỏe của tỉnh ${name}`,
          ...(printed as Partial<Letterhead>),
        },
      },
    ];
  });
  if (problems.length > 0) throw new ConfigError(problems);
  return configs;
}
