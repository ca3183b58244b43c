import { API_BACKENDS, leavesLogUnchanged, ok, type RunningApi, signInPeople, startApi } from '../testing/api-backends.fixture.js';

const person = (fullName: string, nationalId: string) => ({
  fullName,
  dateOfBirth: '1968-05-12',
  nationalId,
  title: 'Bí thư Huyện ủy',
  administrativeUnit: 'Huyện Cao Lộc',
  group: 3,
  from: '2025-01-01',
});

describe.each(API_BACKENDS)('a Command-Id bound to the request that first used it, over %s', (_name, setup) => {
  let api: RunningApi;
  let as: Awaited<ReturnType<typeof signInPeople<'lan' | 'hoa'>>>;

  beforeAll(async () => {
    api = await startApi(setup);
    as = await signInPeople(api, { lan: ['lan', ['clerk']], hoa: ['hoa', ['clerk']] });
  }, 120_000);
  afterAll(() => api.close());

  it('answers 409 CommandIdReused, naming the header, to another user or another body under the same id, and a true retry as the first time', async () => {
    const header = { 'command-id': 'enrol-an-0001' };
    const first = await ok(as.lan.post('/beneficiaries', person('Hoàng Văn An', '020068000111'), header), 201);
    const reused = { rule: 'CommandIdReused', fields: [expect.objectContaining({ field: 'Command-Id' })] };
    await leavesLogUnchanged(api, as.hoa.post('/beneficiaries', person('Lương Văn Bảo', '020068000222'), header), 409, reused);
    await leavesLogUnchanged(api, as.hoa.post('/beneficiaries', person('Hoàng Văn An', '020068000111'), header), 409, reused);
    await leavesLogUnchanged(api, as.lan.post('/beneficiaries', person('Lương Văn Bảo', '020068000222'), header), 409, reused);
    await leavesLogUnchanged(api, as.lan.post('/beneficiaries', person('Hoàng Văn An', '020068000111'), header), 201, first);
    // The same facts with the fields in another order are the same request.
    const { group, fullName, ...rest } = person('Hoàng Văn An', '020068000111');
    await leavesLogUnchanged(api, as.lan.post('/beneficiaries', { group, ...rest, fullName }, header), 201, first);
    // And the person the second clerk meant is enrolled under a command id of their own.
    await ok(as.hoa.post('/beneficiaries', person('Lương Văn Bảo', '020068000222'), { 'command-id': 'enrol-bao-0001' }), 201);
  });
});
