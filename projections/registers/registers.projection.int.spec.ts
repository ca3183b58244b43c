import { searchBeneficiaries, searchCards } from '../queries/read-models.js';
import { headCountByGroup } from '../queries/year-end-report.js';
import { type FactSpec, projectionHarness } from '../testing/projection-harness.fixture.js';
import { registers } from './registers.projection.js';

const enrolled = (id: string, fullName: string, group: number, from = '2020-01-01'): FactSpec => ({
  streamId: `beneficiary-${id}`,
  type: 'BeneficiaryEnrolled',
  data: {
    beneficiaryId: id,
    fullName,
    dateOfBirth: '1966-04-02',
    nationalId: `02006600${id.slice(-4)}`,
    title: 'Bí thư Huyện ủy',
    administrativeUnit: 'Huyện Cao Lộc',
    group,
    from,
  },
});

const firstBatch: FactSpec[] = [enrolled('b-0001', 'Hoàng Văn Bình', 3), enrolled('b-0002', 'Lý Thị Mai', 4), enrolled('b-0003', 'Nông Văn Hải', 5)];

describe('registers read model', () => {
  let harness: Awaited<ReturnType<typeof projectionHarness>>;
  const batches: FactSpec[][] = [firstBatch];
  beforeAll(async () => {
    harness = await projectionHarness(registers);
    // Several batches, so that later events find what earlier batches stored.
    await harness.apply(firstBatch);
    batches.push([
      {
        streamId: 'beneficiary-b-0001',
        type: 'BeneficiaryPositionChanged',
        data: { title: 'Bí thư Đảng ủy xã', administrativeUnit: 'Xã Tân Liên', from: '2025-07-01' },
      },
      {
        streamId: 'beneficiary-b-0001',
        type: 'BeneficiaryReclassified',
        data: { group: 4, from: '2025-07-01', reason: 'District level abolished', decisionNumber: '759/QĐ-TTg' },
      },
      { streamId: 'beneficiary-b-0002', type: 'BeneficiaryRetired', data: { on: '2025-03-01' } },
      { streamId: 'beneficiary-b-0003', type: 'BeneficiaryDied', data: { on: '2025-09-10' } },
      {
        streamId: 'card-LS-0001',
        type: 'CardIssued',
        data: { cardNumber: 'LS-0001', beneficiaryId: 'b-0001', validFrom: '2025-02-01', validTo: '2029-12-31' },
      },
      {
        streamId: 'card-LS-0002',
        type: 'CardIssued',
        data: { cardNumber: 'LS-0002', beneficiaryId: 'b-0002', validFrom: '2020-01-01', validTo: '2029-12-31' },
      },
      // Dated before its holder's enrolment: no group on the day it took effect.
      {
        streamId: 'card-LS-1003',
        type: 'CardIssued',
        data: { cardNumber: 'LS-1003', beneficiaryId: 'b-0003', validFrom: '2019-06-01', validTo: '2029-12-31' },
      },
    ]);
    batches.push([
      {
        streamId: 'card-LS-0001',
        type: 'CardReplaced',
        data: { byCardNumber: 'LS-0009', reason: 'title-change', on: '2025-08-01', newCardValidTo: '2029-12-31' },
      },
      {
        streamId: 'card-LS-0009',
        type: 'CardIssued',
        data: {
          cardNumber: 'LS-0009',
          beneficiaryId: 'b-0001',
          validFrom: '2025-08-01',
          validTo: '2029-12-31',
          replaces: { cardNumber: 'LS-0001', reason: 'title-change' },
        },
      },
      { streamId: 'card-LS-0002', type: 'CardRevoked', data: { reason: 'Retired out of the province', on: '2025-04-01' } },
      { streamId: 'beneficiary-b-0002', type: 'BeneficiaryRemovedFromRegister', data: { on: '2025-04-01', reason: 'Moved out of the province' } },
      // Set to group 6 from 2025-07-01, then corrected to group 4 from the same day: the last word counts.
      {
        streamId: 'beneficiary-b-0003',
        type: 'BeneficiaryReclassified',
        data: { group: 6, from: '2025-07-01', reason: 'District level abolished', decisionNumber: '759/QĐ-TTg' },
      },
      {
        streamId: 'beneficiary-b-0003',
        type: 'BeneficiaryReclassified',
        data: { group: 4, from: '2025-07-01', reason: 'Correction', decisionNumber: '760/QĐ-TTg' },
      },
    ]);
    for (const batch of batches.slice(1)) await harness.apply(batch);
  }, 60_000);
  afterAll(() => harness.close());

  it('keeps each beneficiary’s current facts and status', async () => {
    expect(
      await harness.rows(
        'SELECT beneficiary_id, title, administrative_unit, current_group, status, retired_on, died_on, removed_on FROM $schema.beneficiaries ORDER BY 1',
      ),
    ).toEqual([
      {
        beneficiary_id: 'b-0001',
        title: 'Bí thư Đảng ủy xã',
        administrative_unit: 'Xã Tân Liên',
        current_group: 4,
        status: 'registered',
        retired_on: null,
        died_on: null,
        removed_on: null,
      },
      {
        beneficiary_id: 'b-0002',
        title: 'Bí thư Huyện ủy',
        administrative_unit: 'Huyện Cao Lộc',
        current_group: 4,
        status: 'removed',
        retired_on: '2025-03-01',
        died_on: null,
        removed_on: '2025-04-01',
      },
      {
        beneficiary_id: 'b-0003',
        title: 'Bí thư Huyện ủy',
        administrative_unit: 'Huyện Cao Lộc',
        current_group: 4,
        status: 'deceased',
        retired_on: null,
        died_on: '2025-09-10',
        removed_on: null,
      },
    ]);
  });

  const page = { limit: 50, offset: 0 };
  const search = async (filter: Parameters<typeof searchBeneficiaries>[1]) => (await searchBeneficiaries(harness.pool, filter, page)).items;

  it('answers the register as of a past date: the group and position held then', async () => {
    const before = await search({ asOf: '2025-06-30', name: 'hoàng' });
    const after = await search({ asOf: '2025-07-01', name: 'Hoàng' });
    expect(before).toEqual([expect.objectContaining({ beneficiaryId: 'b-0001', group: 3, administrativeUnit: 'Huyện Cao Lộc', status: 'registered' })]);
    expect(after).toEqual([expect.objectContaining({ beneficiaryId: 'b-0001', group: 4, administrativeUnit: 'Xã Tân Liên' })]);
    expect((await search({ asOf: '2025-12-31' })).map((b) => [b.beneficiaryId, b.status])).toEqual([
      ['b-0001', 'registered'],
      ['b-0002', 'removed'],
      ['b-0003', 'deceased'],
    ]);
    expect((await search({ group: 5, asOf: '2025-01-01' })).map((b) => b.beneficiaryId)).toEqual(['b-0003']);
    expect((await search({ status: 'deceased', asOf: '2025-12-31' })).map((b) => b.beneficiaryId)).toEqual(['b-0003']);
  });

  it('finds names without their diacritics, from the start of any word, and masks the national id', async () => {
    expect((await search({ name: 'nong van hai' })).map((b) => b.beneficiaryId)).toEqual(['b-0003']);
    expect((await search({ name: 'VAN' })).map((b) => b.beneficiaryId)).toEqual(['b-0001', 'b-0003']);
    expect(await search({ name: 'an' })).toEqual([]);
    expect(await search({ name: 'ly' })).toEqual([expect.objectContaining({ beneficiaryId: 'b-0002', nationalIdMasked: '020******002' })]);
    expect(await search({ name: 'ly' })).toEqual([expect.not.objectContaining({ nationalId: expect.anything() })]);
  });

  it('keeps the card register: holder, group on the day the card took effect, replacement and revocation; searchable', async () => {
    expect(
      await harness.rows(
        'SELECT card_number, beneficiary_id, group_at_issue, status, closed_on, replaces, reissue_reason, replaced_by, revocation_reason FROM $schema.cards ORDER BY 1',
      ),
    ).toEqual([
      {
        card_number: 'LS-0001',
        beneficiary_id: 'b-0001',
        group_at_issue: 3,
        status: 'replaced',
        closed_on: '2025-08-01',
        replaces: null,
        reissue_reason: null,
        replaced_by: 'LS-0009',
        revocation_reason: null,
      },
      {
        card_number: 'LS-0002',
        beneficiary_id: 'b-0002',
        group_at_issue: 4,
        status: 'revoked',
        closed_on: '2025-04-01',
        replaces: null,
        reissue_reason: null,
        replaced_by: null,
        revocation_reason: 'Retired out of the province',
      },
      {
        card_number: 'LS-0009',
        beneficiary_id: 'b-0001',
        group_at_issue: 4,
        status: 'valid',
        closed_on: null,
        replaces: 'LS-0001',
        reissue_reason: 'title-change',
        replaced_by: null,
        revocation_reason: null,
      },
      {
        card_number: 'LS-1003',
        beneficiary_id: 'b-0003',
        group_at_issue: null,
        status: 'valid',
        closed_on: null,
        replaces: null,
        reissue_reason: null,
        replaced_by: null,
        revocation_reason: null,
      },
    ]);
    expect((await searchCards(harness.readModels, { name: 'hoàng', status: 'valid' })).map((c) => c.cardNumber)).toEqual(['LS-0009']);
    expect((await searchCards(harness.readModels, { number: 'LS-000' })).map((c) => c.cardNumber)).toEqual(['LS-0001', 'LS-0002', 'LS-0009']);
    // Searched by the holder's unit now: Mr Bình moved to a commune on 2025-07-01.
    expect((await searchCards(harness.readModels, { unit: 'Huyện Cao Lộc' })).map((c) => c.cardNumber)).toEqual(['LS-0002', 'LS-1003']);
    expect((await searchCards(harness.readModels, { unit: 'Xã Tân Liên' })).map((c) => [c.cardNumber, c.fullName])).toEqual([
      ['LS-0001', 'Hoàng Văn Bình'],
      ['LS-0009', 'Hoàng Văn Bình'],
    ]);
  });

  it('counts the register by group on any date: enrolment counts from its day, a reclassification moves, removal and death take out', async () => {
    expect(await headCountByGroup(harness.pool, '2019-12-31')).toEqual({});
    expect(await headCountByGroup(harness.pool, '2024-12-31')).toEqual({ 3: 1, 4: 1, 5: 1 });
    expect(await headCountByGroup(harness.pool, '2025-03-31')).toEqual({ 3: 1, 4: 1, 5: 1 });
    expect(await headCountByGroup(harness.pool, '2025-04-01')).toEqual({ 3: 1, 5: 1 });
    expect(await headCountByGroup(harness.pool, '2025-07-01')).toEqual({ 4: 2 });
    expect(await headCountByGroup(harness.pool, '2025-09-10')).toEqual({ 4: 1 });
  });

  it('counts the cards taking effect each year by the holder’s group that day, new and reissued', async () => {
    expect(await harness.rows('SELECT year, group_number, new_cards, reissued FROM $schema.cards_issued ORDER BY 1, 2')).toEqual([
      { year: 2019, group_number: 0, new_cards: 1, reissued: 0 },
      { year: 2020, group_number: 4, new_cards: 1, reissued: 0 },
      { year: 2025, group_number: 3, new_cards: 1, reissued: 0 },
      { year: 2025, group_number: 4, new_cards: 0, reissued: 1 },
    ]);
  });

  it('leaves the same tallies whether the log comes in one batch or several', async () => {
    const whole = await projectionHarness(registers);
    try {
      await whole.apply(batches.flat());
      for (const tally of [
        'SELECT on_date, group_number, change FROM $schema.head_count_changes ORDER BY 1, 2',
        'SELECT * FROM $schema.cards_issued ORDER BY 1, 2',
      ]) {
        expect(await whole.rows(tally)).toEqual(await harness.rows(tally));
      }
    } finally {
      await whole.close();
    }
  });
});
