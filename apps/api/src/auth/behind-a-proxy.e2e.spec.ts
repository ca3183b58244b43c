import { API_BACKENDS, type RunningApi, startApi } from '../testing/api-backends.fixture.js';

/**
 * Sign-in throttling counts failures per client address. Behind a reverse proxy every request
 * comes from the proxy: only with TRUST_PROXY does the API take the client's address from
 * X-Forwarded-For, and without it a client's own X-Forwarded-For buys it no fresh address. An
 * HTTP setting, the same on either backend: tested on the embedded default.
 */
describe('the client address behind a reverse proxy', () => {
  const [, embedded] = API_BACKENDS[0];
  const guessFrom = (api: RunningApi, forwardedFor: string, username: string) =>
    fetch(`${api.base}/auth/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': forwardedFor },
      body: JSON.stringify({ username, password: 'a wrong password' }),
    });
  const guessTwentyTimes = async (api: RunningApi, forwardedFor: string) => {
    for (let n = 0; n < 20; n++) expect((await guessFrom(api, forwardedFor, `guess-${n}`)).status).toBe(401);
  };

  it('with TRUST_PROXY, holds back the forwarded client address, not the proxy', async () => {
    const api = await startApi(embedded, { TRUST_PROXY: 'loopback' });
    try {
      await guessTwentyTimes(api, '203.0.113.7');
      expect((await guessFrom(api, '203.0.113.7', 'guess-20')).status).toBe(429);
      expect((await guessFrom(api, '203.0.113.8', 'guess-20')).status).toBe(401);
    } finally {
      await api.close();
    }
  }, 120_000);

  it('without it, ignores X-Forwarded-For: a client cannot make up a fresh address', async () => {
    const api = await startApi(embedded);
    try {
      await guessTwentyTimes(api, '203.0.113.7');
      expect((await guessFrom(api, '203.0.113.8', 'guess-20')).status).toBe(429);
    } finally {
      await api.close();
    }
  }, 120_000);
});
