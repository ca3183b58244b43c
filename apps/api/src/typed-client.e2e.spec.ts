import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '../../../test/client/api.js';
import { ADMIN_PASSWORD, API_BACKENDS, caughtUp, type RunningApi, startApi } from './testing/api-backends.fixture.js';
import { answerDepartures, departures, type OpenApiDocument } from './testing/openapi-answers.fixture.js';

/**
 * A client generated from the OpenAPI document (test/client/api.d.ts, by openapi-typescript)
 * drives a story through the API with openapi-fetch: every path, parameter, body and answer
 * below is type-checked against the document (`npm run lint:openapi` compiles this file), so a
 * change of the contract that a client would trip on breaks the build. Every answer is checked
 * against the document the API serves as well: its status documented, its body of the documented
 * shape, with no property the document does not name.
 */
const [[backend, setup]] = API_BACKENDS as [(typeof API_BACKENDS)[number]];

/** The error answers of an operation are a union of the document's error bodies, of which some name the rule and the fields. */
const refusal = (error: object | undefined): { readonly rule?: string; readonly fields?: readonly { readonly field: string }[] } => ({ ...error });

describe(`a client generated from the OpenAPI document, over ${backend}`, () => {
  let api: RunningApi;
  let document: OpenApiDocument;
  const answers: string[] = [];
  beforeAll(async () => {
    api = await startApi(setup);
    document = (await (await fetch(`${api.base}/docs-json`)).json()) as OpenApiDocument;
  });
  afterAll(() => api.close());

  const checked: Middleware = {
    async onResponse({ request, response, schemaPath }) {
      const answer = `${request.method} ${schemaPath} → ${response.status}`;
      answers.push(answer);
      const problems = answerDepartures(document, request.method, schemaPath, response.status, await response.clone().json());
      if (problems.length > 0) throw new Error(`${answer} departs from the document: ${problems.join('; ')}`);
    },
  };
  const clientOf = (accessToken?: string) => {
    const client = createClient<paths>({ baseUrl: api.base, ...(accessToken ? { headers: { authorization: `Bearer ${accessToken}` } } : {}) });
    client.use(checked);
    return client;
  };

  async function signIn(username: string, password: string) {
    const { data, error } = await clientOf().POST('/auth/token', { body: { username, password } });
    if (!data) throw new Error(`${username} cannot sign in: ${error?.message}`);
    return clientOf(data.accessToken);
  }

  it('signs in, enrols a beneficiary, has a claim approved and paid, and reads the balance', async () => {
    const refused = await clientOf().POST('/auth/token', { body: { username: 'admin', password: 'not the password' } });
    expect(refused.response.status).toBe(401);
    expect(refused.error?.message).toBe('wrong user name or password');

    const admin = await signIn('admin', ADMIN_PASSWORD);
    expect((await admin.GET('/auth/me')).data).toMatchObject({ username: 'admin', roles: ['administrator'] });
    const people = { clerk: ['clerk'], approver: ['approver'], finance: ['finance'] } as const;
    for (const [username, roles] of Object.entries(people)) {
      const { data } = await admin.POST('/users', { body: { username, fullName: username, roles: [...roles], password: `${username}-password-1` } });
      expect(data?.status).toBe('active');
    }
    const [clerk, approver, finance] = await Promise.all(Object.keys(people).map((username) => signIn(username, `${username}-password-1`)));

    const person = {
      fullName: 'Hoàng Văn Bình',
      dateOfBirth: '1968-05-12',
      nationalId: '020068004444',
      title: 'Chủ tịch UBND huyện',
      administrativeUnit: 'Huyện Cao Lộc',
      group: 4,
      from: '2025-01-01',
    } as const;
    const enrolled = await clerk.POST('/beneficiaries', { body: person });
    const beneficiaryId = enrolled.data!.beneficiaryId;
    const again = await clerk.POST('/beneficiaries', { body: person });
    expect(again.response.status).toBe(409);
    expect(refusal(again.error).rule).toBe('NationalIdTaken');
    const invalid = await clerk.POST('/beneficiaries', { body: { ...person, dateOfBirth: '12/05/1968' } });
    expect(invalid.response.status).toBe(400);
    expect(refusal(invalid.error).fields?.map((problem) => problem.field)).toEqual(['dateOfBirth']);

    const card = await clerk.POST('/cards', { body: { cardNumber: 'LS-2025-TYPED', beneficiaryId, validFrom: '2025-01-01', validTo: '2029-12-31' } });
    expect(card.data).toMatchObject({ status: 'valid', cardNumber: 'LS-2025-TYPED' });
    // The check of answers sees a property the document does not name.
    expect(departures(document, { $ref: '#/components/schemas/CardBody' }, { ...card.data, holder: 'x' }, 'body')).toEqual([
      'body.holder is not in the document',
    ]);
    const claim = await clerk.POST('/claims', { body: { regimeId: 'h.fixed', beneficiaryId, cardNumber: 'LS-2025-TYPED', serviceDate: '2025-08-15' } });
    const claimId = claim.data!.claimId;

    const approved = await approver.POST('/claims/{id}/approval', { params: { path: { id: claimId } } });
    expect(approved.data?.approval).toMatchObject({ amount: 2_000_000, group: 4, approvedBy: ['approver'] });
    const paid = await finance.POST('/payouts/{id}/payment', {
      params: { path: { id: `claim-${claimId}` } },
      body: { reference: 'UNC-typed', paidOn: '2025-08-20' },
    });
    expect(paid.data).toMatchObject({ status: 'paid', paid: { reference: 'UNC-typed', paidOn: '2025-08-20' } });

    await caughtUp(api);
    const { data: balances } = await clerk.GET('/beneficiaries/{id}/balances', { params: { path: { id: beneficiaryId }, query: { year: 2025 } } });
    expect(balances?.balances.find((balance) => balance.regimeId === 'h.fixed')).toMatchObject({
      year: 2025,
      regimeCode: 'h',
      approved: 2_000_000,
      paid: 2_000_000,
    });
    const { data: payouts } = await clerk.GET('/payouts', { params: { query: { beneficiaryId } } });
    expect(payouts?.payouts.map((payout) => [payout.payoutId, payout.status, payout.amount])).toEqual([[`claim-${claimId}`, 'paid', 2_000_000]]);
    const { data: view } = await clerk.GET('/claims/{id}', { params: { path: { id: claimId } } });
    expect(view?.history.map((entry) => entry.type)).toEqual(['ClaimRequested', 'ClaimApproved']);
    expect(answers).toHaveLength(19);
  }, 120_000);
});
