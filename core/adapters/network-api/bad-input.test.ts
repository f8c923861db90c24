/** Bad input gets a clear 4xx in the documented error format, and changes nothing. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/testing/harness';
import { A, B, steps } from './testing';

let h: Harness;
let s: ReturnType<typeof steps>;
beforeEach(async () => {
  h = await startHarness();
  s = steps(h);
});
afterEach(async () => h.stop());

/** Row counts of every engine table, to prove a refused request changed nothing. */
async function snapshot() {
  const db = h.app.core.services.store.db;
  const tables = ['subscribers', 'list_entries', 'presence', 'calls', 'sms', 'usage_records', 'network_events', 'digests'] as const;
  const counts: Record<string, number> = {};
  for (const t of tables)
    counts[t] = Number(
      (
        await db
          .selectFrom(t)
          .select((eb) => eb.fn.countAll<number>().as('n'))
          .executeTakeFirstOrThrow()
      ).n,
    );
  return counts;
}

async function expectRefused(request: ReturnType<Harness['api']>, status: number, field?: string) {
  const before = await snapshot();
  const res = await request;
  expect(res.status).toBe(status);
  expect(res.body.error.code).toEqual(expect.any(String));
  expect(res.body.error.message.length).toBeGreaterThan(10);
  if (field) expect(res.body.error.field).toBe(field);
  expect(await snapshot()).toEqual(before);
  return res.body.error;
}

describe('bad input', () => {
  it('malformed or impossible numbers', async () => {
    await s.subscribe(B);
    const letters = await expectRefused(
      h.api('PUT', '/api/v1/subscribers/138-ABCD-8000', { services: { missedCallAlert: true, reachableAlert: false } }),
      400,
      'msisdn',
    );
    expect(letters.message).toMatch(/msisdn/);
    await expectRefused(
      h.api('POST', '/api/v1/calls', { caller: A, callee: '1380013800', reason: 'power_off', at: h.clock.now() }),
      400,
      'callee',
    );
    await expectRefused(
      h.api('POST', '/api/v1/calls', { caller: '12345678901', callee: B, reason: 'power_off', at: h.clock.now() }),
      400,
      'caller',
    );
    await expectRefused(h.api('POST', '/api/v1/presence', { msisdn: '10086', state: 'reachable', at: h.clock.now() }), 400, 'msisdn');
    await expectRefused(h.api('PUT', `/api/v1/subscribers/${B}/blacklist/999`), 400, 'number');
  });

  it('invalid fields, named', async () => {
    await s.subscribe(B);
    await expectRefused(h.api('POST', '/api/v1/calls', { caller: A, callee: B, reason: 'lunch', at: h.clock.now() }), 400, 'reason');
    await expectRefused(h.api('POST', '/api/v1/calls', { caller: A, callee: B, reason: 'power_off' }), 400, 'at');
    await expectRefused(
      h.api('PUT', `/api/v1/subscribers/${B}`, { services: { missedCallAlert: 'yes' } }),
      400,
      'services.missedCallAlert',
    );
    await expectRefused(
      h.api('PUT', `/api/v1/subscribers/${B}`, { services: { missedCallAlert: true, reachableAlert: false }, privacy: { mode: 'some' } }),
      400,
      'privacy.mode',
    );
    await expectRefused(h.api('DELETE', `/api/v1/subscribers/${B}/services/everything`), 400, 'service');
  });

  it('an unknown subscriber', async () => {
    await expectRefused(h.api('GET', '/api/v1/subscribers/13700137000'), 404, 'msisdn');
    await expectRefused(h.api('GET', '/api/v1/subscribers/13700137000/missed-calls'), 404, 'msisdn');
    const call = await expectRefused(
      h.api('POST', '/api/v1/calls', { caller: A, callee: '13700137000', reason: 'power_off', at: h.clock.now() }),
      404,
      'callee',
    );
    expect(call.message).toMatch(/is not a subscriber/);
    await expectRefused(h.api('PUT', '/api/v1/subscribers/13700137000/whitelist/13900139000'), 404, 'msisdn');
  });

  it('a bad, missing or revoked token', async () => {
    await s.subscribe(B);
    const bad = await h.api('GET', `/api/v1/subscribers/${B}`, undefined, { authorization: 'Bearer not-a-token' });
    expect(bad.status).toBe(401);
    expect(bad.body.error.code).toBe('unauthenticated');
    const missing = await fetch(`${h.app.http.url}/api/v1/subscribers/${B}`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toMatch(/^Bearer/);
    const admin = await h.admin();
    const { token, info } = await admin.send('network-tokens/create', { name: 'HLR gateway' });
    expect((await h.api('GET', `/api/v1/subscribers/${B}`, undefined, { authorization: `Bearer ${token}` })).status).toBe(200);
    await admin.send('network-tokens/revoke', { id: info.id });
    expect((await h.api('GET', `/api/v1/subscribers/${B}`, undefined, { authorization: `Bearer ${token}` })).status).toBe(401);
  });

  it('unknown IVR sessions and input after hang-up', async () => {
    await s.subscribe(B);
    await expectRefused(h.api('POST', '/api/v1/ivr/0123456789abcdef01234567/input', { digits: '1' }), 404, 'session');
    const { session } = await s.callAndPress(A, B, 'hangup');
    const after = await expectRefused(h.api('POST', `/api/v1/ivr/${session}/input`, { digits: '2' }), 409, 'session');
    expect(after.message).toMatch(/has ended/);
    await expectRefused(h.api('POST', `/api/v1/ivr/${session}/input`, { digits: 'x' }), 400, 'digits');
    const neither = await expectRefused(h.api('POST', `/api/v1/ivr/${session}/input`, { key: '1' }), 400);
    expect(neither.message).toMatch(/Send either/);
    await expectRefused(h.api('GET', '/api/v1/subscribers/%E0%A4%A'), 400, 'msisdn');
  });

  it('recordings that are not WAV, or not asked for', async () => {
    await s.subscribe(B, { services: { missedCallAlert: true, reachableAlert: false, voicemail: true } });
    const { body } = await s.call(A, B);
    await expectRefused(
      h.api('PUT', `/api/v1/ivr/${body.session}/recording`, Buffer.from('RIFFxxxxWAVE'), { 'content-type': 'audio/wav' }),
      409,
      'session',
    );
    await s.press(body.session, '1');
    await expectRefused(
      h.api('PUT', `/api/v1/ivr/${body.session}/recording`, Buffer.from('not audio at all, not even close'), {
        'content-type': 'audio/wav',
      }),
      400,
      'body',
    );
    await expectRefused(
      h.api('PUT', `/api/v1/ivr/${body.session}/recording`, Buffer.from('x'), { 'content-type': 'text/plain' }),
      415,
      'body',
    );
    const recorded = await h.api('POST', `/api/v1/ivr/${body.session}/input`, { event: 'recorded' });
    expect(recorded.status).toBe(409);
    expect(recorded.body.error.message).toMatch(/Upload the recording/);
  });

  it('a presence event before any call, and events out of order', async () => {
    const unknown = await expectRefused(
      h.api('POST', '/api/v1/presence', { msisdn: '13700137000', state: 'reachable', at: h.clock.now() }),
      404,
      'msisdn',
    );
    expect(unknown.message).toMatch(/nothing to do/);
    await s.subscribe(B);
    await s.callAndPress(A, B, '2');
    const now = h.clock.now();
    expect((await h.api('POST', '/api/v1/presence', { msisdn: B, state: 'reachable', at: now + 1000 })).status).toBe(200);
    const stale = await expectRefused(h.api('POST', '/api/v1/presence', { msisdn: B, state: 'unreachable', at: now - 1000 }), 409, 'at');
    expect(stale.message).toMatch(/Out of order/);
  });

  it('oversized bodies, invalid UTF-8, broken JSON, wrong content type, method or path', async () => {
    await expectRefused(
      h.api('POST', '/api/v1/sms/inbound', JSON.stringify({ from: B, to: '06001', text: 'x'.repeat(70_000), at: 1 })),
      413,
      'body',
    );
    const invalidUtf8 = Buffer.concat([
      Buffer.from('{"from":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from(`","to":"06001","text":"D","at":1}`),
    ]);
    const utf8 = await expectRefused(h.api('POST', '/api/v1/sms/inbound', invalidUtf8), 400, 'body');
    expect(utf8.message).toBe('The body is not valid UTF-8');
    await expectRefused(h.api('POST', '/api/v1/presence', '{"msisdn":'), 400, 'body');
    await expectRefused(
      h.api('POST', '/api/v1/presence', 'msisdn=1', { 'content-type': 'application/x-www-form-urlencoded' }),
      415,
      'body',
    );
    await expectRefused(h.api('PATCH', `/api/v1/subscribers/${B}`, {}), 405);
    await expectRefused(h.api('GET', '/api/v1/nothing-here'), 404);
  });

  it('inbound SMS to another number than the short code', async () => {
    await s.subscribe(B);
    await expectRefused(h.api('POST', '/api/v1/sms/inbound', { from: B, to: '10086', text: 'D', at: h.clock.now() }), 400, 'to');
  });
});
