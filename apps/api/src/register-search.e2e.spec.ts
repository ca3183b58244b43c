import { API_BACKENDS, caughtUp, client, ok, type RunningApi, signInPeople, startApi } from './testing/api-backends.fixture.js';

/** Two namesakes (one enrolled twice by mistake, under a second national id), an Đinh, and someone else in another unit. */
const people = [
  { fullName: 'Nông Văn An', dateOfBirth: '1968-04-02', nationalId: '020068001111', administrativeUnit: 'Huyện Cao Lộc', group: 4 },
  { fullName: 'Nông Văn An', dateOfBirth: '1968-04-02', nationalId: '020068002222', administrativeUnit: 'Huyện Cao Lộc', group: 4 },
  { fullName: 'Nông  Văn An', dateOfBirth: '1975-11-20', nationalId: '020075003333', administrativeUnit: 'Huyện Văn Lãng', group: 5 },
  { fullName: 'Đinh Thị Đào', dateOfBirth: '1970-01-15', nationalId: '020170004444', administrativeUnit: 'Huyện Cao Lộc', group: 3 },
  { fullName: 'Lò Văn Kiên', dateOfBirth: '1966-06-06', nationalId: '020066005555', administrativeUnit: 'Huyện Văn Lãng', group: 6 },
].map((person) => ({ ...person, title: 'Chuyên viên', from: '2025-01-01' }));

describe.each(API_BACKENDS)('the register search over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Record<'admin' | 'clerk' | 'auditor', ReturnType<typeof client>>;
  const ids: string[] = [];
  const search = (query: string) => ok(as.auditor.get(`/beneficiaries?${query}`));
  const found = async (query: string) => ((await search(query)).items as { beneficiaryId: string }[]).map((row) => ids.indexOf(row.beneficiaryId));

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { clerk: ['lan', ['clerk']], auditor: ['kiem', ['auditor']] });
    for (const person of people) ids.push((await ok(as.clerk.post('/beneficiaries', person), 201)).beneficiaryId);
    await ok(as.clerk.post('/cards', { cardNumber: 'LS-2025-04444', beneficiaryId: ids[3], validFrom: '2025-01-01', validTo: '2029-12-31' }), 201);
    await ok(as.clerk.post(`/beneficiaries/${ids[4]}/removal`, { on: '2025-06-30', reason: 'Moved out of the province' }));
    await caughtUp(api);
  });
  afterAll(() => api.close());

  it('finds names typed without diacritics, đ as d, word by word from the start of a word', async () => {
    expect((await found('name=nong%20van%20an')).sort()).toEqual([0, 1, 2]);
    expect((await found(`name=${encodeURIComponent('Nông Văn An')}`)).sort()).toEqual([0, 1, 2]);
    expect(await found('name=dinh')).toEqual([3]);
    expect(await found('name=DAO%20dinh')).toEqual([3]);
    expect((await found('name=van%20an')).sort()).toEqual([0, 1, 2]);
    expect(await found('name=an%20nong')).toHaveLength(3);
    expect(await found('name=inh')).toEqual([]);
  });

  it('finds by national id and by card number', async () => {
    expect(await found('nationalId=020170004444')).toEqual([3]);
    expect((await found('nationalId=020068')).sort()).toEqual([0, 1]);
    expect(await found('cardNumber=ls-2025-044')).toEqual([3]);
  });

  it('shows the date of birth and a masked national id, and flags likely duplicates', async () => {
    const { items } = await search('name=nong%20van%20an&unit=Huy%E1%BB%87n%20Cao%20L%E1%BB%99c');
    // Namesakes come in the order of their ids, which differ from run to run.
    expect(items).toEqual(
      [0, 1]
        .sort((a, b) => (ids[a] < ids[b] ? -1 : 1))
        .map((n) =>
          expect.objectContaining({
            beneficiaryId: ids[n],
            fullName: 'Nông Văn An',
            dateOfBirth: '1968-04-02',
            nationalIdMasked: `020******${people[n].nationalId.slice(-3)}`,
            likelyDuplicateOf: [ids[1 - n]],
          }),
        ),
    );
    expect(JSON.stringify(items)).not.toContain('020068001111');
    // A namesake born on another day is not the same person.
    expect((await search('nationalId=020075003333')).items).toEqual([expect.objectContaining({ likelyDuplicateOf: [] })]);
    expect((await found('likelyDuplicates=true')).sort()).toEqual([0, 1]);
  });

  it('filters by unit, group and status, as of a date', async () => {
    expect((await found(`unit=${encodeURIComponent('Huyện Văn Lãng')}`)).sort()).toEqual([2, 4]);
    expect(await found('group=3')).toEqual([3]);
    expect(await found('status=removed')).toEqual([4]);
    expect(await found('status=removed&asOf=2025-06-29')).toEqual([]);
    expect((await found('status=registered')).sort()).toEqual([0, 1, 2, 3]);
  });

  it('pages through the register with the total, a page past the end empty', async () => {
    const first = await search('limit=2');
    const second = await search('limit=2&offset=2');
    const third = await search('limit=2&offset=4');
    expect([first, second, third].map(({ total, offset, limit, items }) => [total, offset, limit, items.length])).toEqual([
      [5, 0, 2, 2],
      [5, 2, 2, 2],
      [5, 4, 2, 1],
    ]);
    const everyone = [first, second, third].flatMap((page) => page.items.map((row: { beneficiaryId: string }) => row.beneficiaryId));
    expect(new Set(everyone)).toEqual(new Set(ids));
    expect(await search('limit=2&offset=10')).toMatchObject({ items: [], total: 5, offset: 10, limit: 2 });
    expect(await search('name=nobody')).toMatchObject({ items: [], total: 0, offset: 0, limit: 50 });
  });

  it('refuses bad parameters with 400 naming each field', async () => {
    const reply = await as.auditor.get('/beneficiaries?limit=0&offset=-1&group=7&status=asleep&nationalId=12ab&likelyDuplicates=yes&asOf=2025-13&sort=name');
    expect(reply.status).toBe(400);
    const fields = [...new Set((reply.body as { fields: { field: string }[] }).fields.map((problem) => problem.field))].sort();
    expect(fields).toEqual(['asOf', 'group', 'likelyDuplicates', 'limit', 'nationalId', 'offset', 'sort', 'status']);
    expect((await as.auditor.get('/beneficiaries?limit=501')).status).toBe(400);
  });

  it('finds an erased person by none of their personal data', async () => {
    await ok(as.admin.post(`/beneficiaries/${ids[3]}/erasure`, { reason: 'Request under the Personal Data Protection Law' }));
    await caughtUp(api);
    expect(await found('name=dinh')).toEqual([]);
    expect(await found('nationalId=020170004444')).toEqual([]);
    expect((await search('cardNumber=LS-2025-04444')).items).toEqual([
      expect.objectContaining({
        beneficiaryId: ids[3],
        fullName: null,
        dateOfBirth: null,
        nationalIdMasked: null,
        personalDataErased: true,
        likelyDuplicateOf: [],
      }),
    ]);
  });
});
