import { createHmac, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { NewEvent, StoredEvent } from '#event-store';
import { openPostgresBackend, type PostgresBackend, type PostgresBackendKind } from '../../../../test/support/postgres-backends.js';
import { migrateSchema } from '../schema.js';
import { type MasterKeys, PersonalDataKeys } from './personal-data-keys.js';

const enrolled = (beneficiaryId: string, fullName: string): NewEvent => ({
  type: 'BeneficiaryEnrolled',
  data: { beneficiaryId, fullName, dateOfBirth: '1968-05-12', nationalId: '020068000777', group: 3 },
  metadata: { schemaVersion: 2, actor: 'lan' },
});

const stored = (event: NewEvent, position: number): StoredEvent => ({
  ...event,
  eventId: randomUUID(),
  streamId: `beneficiary-${position}`,
  streamRevision: 0,
  globalPosition: BigInt(position),
  recordedAt: new Date(),
});

/**
 * Rotating the personal data master key: people sealed under the old key stay readable while it is
 * configured as a previous key, `rewrap` moves every key under the new one (an erased person stays
 * erased), and the national id reservation hash — which names streams forever — never changes.
 */
describe.each<PostgresBackendKind>(['server', 'pglite'])('personal data master key rotation on %s', (kind) => {
  let backend: PostgresBackend;
  const [oldKey, newKey] = [randomBytes(32), randomBytes(32)];
  const open = (keys: MasterKeys) => PersonalDataKeys.open(backend.pool, keys);
  const nameOf = async (keys: PersonalDataKeys, event: NewEvent) => ((await keys.open([stored(event, 1)]))[0].data as { fullName: string | null }).fullName;

  beforeAll(async () => {
    backend = await openPostgresBackend(kind);
    await migrateSchema(backend.pool, { eventStore: true });
  }, 60_000);
  afterAll(() => backend?.close());

  it('keeps every person readable and the reservation hash unchanged through a rotation', async () => {
    const [an, binh, chi] = [enrolled(randomUUID(), 'Nông Văn An'), enrolled(randomUUID(), 'Hoàng Thị Bình'), enrolled(randomUUID(), 'Lý Văn Chi')];
    const before = await open({ current: oldKey, previous: [] });
    const [sealedAn, sealedChi] = await before.seal([an, chi]);
    // The log as the version before rotation left it: keys without a master key id, the reservation hash derived from the master key.
    await backend.pool.query('UPDATE personal_data_keys SET master_key_id = NULL');
    await backend.pool.query('DELETE FROM personal_data_secrets');
    const reservationBeforeRotation = createHmac(
      'sha256',
      Buffer.from(hkdfSync('sha256', oldKey, Buffer.alloc(0), 'personal-data/national-id-reservation', 32)),
    )
      .update('020068000777')
      .digest('hex');

    const during = await open({ current: newKey, previous: [oldKey] });
    expect(during.reservationKey('020068000777')).toBe(reservationBeforeRotation);
    expect(await nameOf(during, sealedAn)).toBe('Nông Văn An');
    const [sealedBinh] = await during.seal([binh]);
    await during.erase((chi.data as { beneficiaryId: string }).beneficiaryId);

    await expect(open({ current: newKey, previous: [] })).rejects.toThrow(/wrapped under master key .*PERSONAL_DATA_PREVIOUS_KEYS/);

    const outcome = await during.rewrap(1);
    expect(outcome.rewrapped).toBe(1);
    expect(outcome.wrappedUnder).toEqual({ [outcome.currentMasterKeyId]: 4 });
    expect((await during.rewrap()).rewrapped).toBe(0);

    const after = await open({ current: newKey, previous: [] });
    expect(after.reservationKey('020068000777')).toBe(reservationBeforeRotation);
    expect(await nameOf(after, sealedAn)).toBe('Nông Văn An');
    expect(await nameOf(after, sealedBinh)).toBe('Hoàng Thị Bình');
    expect(await nameOf(after, sealedChi)).toBeNull();
    await expect(open({ current: oldKey, previous: [] })).rejects.toThrow(/4 personal data keys are wrapped under master key/);
  });
});
