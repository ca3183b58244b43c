import { ConfigError, loadConfig } from './config.js';
import { provinceConfigs } from './provinces.js';

const file = (entries: unknown) => JSON.stringify(entries);

describe('provinceConfigs', () => {
  it('gives each province its own database folder, keys, passwords, catalog, letterhead and token audience beside the process’s own', () => {
    const base = loadConfig({ AUTH_TOKEN_SECRET: 'a-signing-key-of-at-least-thirty-two-chars', ADMIN_PASSWORD: 'the own admin password', DEMO_PROVINCE: '1' });
    const [lamDong] = provinceConfigs(base, file([{ id: 'lam-dong', name: 'Lâm Đồng' }]));
    expect(lamDong).toMatchObject({
      province: { id: 'lam-dong', name: 'Lâm Đồng' },
      database: { kind: 'embedded', dataDir: 'data/provinces/lam-dong/pglite' },
      policyDir: 'policies/lam-dong',
      generatedSecretsFile: 'data/provinces/lam-dong/generated-passwords.txt',
      personalData: { file: 'data/provinces/lam-dong/personal-data.key' },
      auth: { audience: 'lam-dong', tokenSecret: 'a-signing-key-of-at-least-thirty-two-chars' },
      // Never Lạng Sơn's resolution in another province's report titles.
      letterhead: { issuer: 'SỞ Y TẾ TỈNH LÂM ĐỒNG', place: 'Lâm Đồng', reportSubject: 'các chính sách hỗ trợ chăm sóc sức khỏe của tỉnh Lâm Đồng' },
      port: base.port,
    });
    // Not the process's own administrator password, nor its demo.
    expect(lamDong.auth.adminPassword).toBeUndefined();
    expect(lamDong.demo).toBeUndefined();
    expect(lamDong.nationalRollUp).toBeUndefined();
  });

  it('takes each province’s database on a server from the file, and marks the national level', () => {
    const base = loadConfig({ DATABASE_URL: 'postgres://app@db/lang_son' });
    const [lamDong, national, konTum] = provinceConfigs(
      base,
      file([
        {
          id: 'lam-dong',
          name: 'Lâm Đồng',
          databaseUrl: 'postgres://app@db/lam_dong',
          databaseOwnerUrl: 'postgres://owner@db/lam_dong',
          adminPassword: 'twelve chars or more',
        },
        { id: 'national', name: 'Toàn quốc', databaseUrl: 'postgres://app@db/national', national: true, letterhead: { issuer: 'BỘ Y TẾ' } },
        {
          id: 'kon-tum',
          name: 'Kon Tum',
          databaseUrl: 'postgres://app@db/kon_tum',
          letterhead: { reportSubject: 'Nghị quyết số 05/2024/NQ-HĐND' },
        },
      ]),
    );
    expect(lamDong.database).toEqual({ kind: 'server', url: 'postgres://app@db/lam_dong', ownerUrl: 'postgres://owner@db/lam_dong' });
    expect(lamDong.auth.adminPassword).toBe('twelve chars or more');
    expect(national).toMatchObject({ nationalRollUp: true, letterhead: { issuer: 'BỘ Y TẾ', place: 'Toàn quốc' } });
    expect(konTum.letterhead).toMatchObject({ issuer: 'SỞ Y TẾ TỈNH KON TUM', reportSubject: 'Nghị quyết số 05/2024/NQ-HĐND' });
  });

  it('refuses a file it cannot use, naming every problem', () => {
    const server = loadConfig({ DATABASE_URL: 'postgres://app@db/lang_son' });
    expect(() => provinceConfigs(server, 'not json')).toThrow(ConfigError);
    expect(() => provinceConfigs(server, '{}')).toThrow('PROVINCES_FILE must hold an array of provinces');
    try {
      provinceConfigs(
        server,
        file([
          { id: 'lang-son', name: 'Lạng Sơn', databaseUrl: 'postgres://x/y' },
          { id: 'Lâm Đồng', name: '' },
          { id: 'ok-one', name: 'Ok', extra: 1, adminPassword: 'short', letterhead: { issuer: 'A\nB' } },
          7,
        ]),
      );
      throw new Error('accepted');
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'PROVINCES_FILE[0].id lang-son is taken by another province',
        'PROVINCES_FILE[1].name must be a non-empty string',
        'PROVINCES_FILE[1].id must be lower-case letters, digits and dashes, starting with a letter',
        "PROVINCES_FILE[1].databaseUrl is needed: the provinces' databases are on a server",
        'PROVINCES_FILE[2].extra is not a setting of a province',
        'PROVINCES_FILE[2].adminPassword must be at least 12 characters',
        "PROVINCES_FILE[2].databaseUrl is needed: the provinces' databases are on a server",
        'PROVINCES_FILE[2].letterhead.issuer must be one of parentBody, issuer, issuerCode, place, signerTitle, signerName, reportSubject, a line of at most 120 characters',
        'PROVINCES_FILE[3] must be an object',
      ]);
    }
  });
});
