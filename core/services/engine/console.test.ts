/** The engine's console commands over the real WebSocket: the Lab, permissions and audit. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness } from '../../server/testing/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => h.stop());

describe('console commands', () => {
  it('plays a whole story in the Lab, each step audited', async () => {
    const admin = await h.admin();
    admin.subscribe('virtual-smsc/delivered');
    await admin.send('subscribers/provision', {
      msisdn: '13800138000',
      services: { missedCallAlert: true, reachableAlert: false, voicemail: true },
      language: 'en',
    });
    const { session, action } = await admin.send('lab/call', { caller: '13900139000', callee: '13800138000' });
    expect(action.type).toBe('collect');
    await admin.send('lab/ivr', { session, input: { digits: '1' } });
    expect(await admin.send('lab/record', { session, seconds: 2 })).toEqual({ durationMs: 2000 });
    expect((await admin.send('lab/ivr', { session, input: { event: 'recorded' } })).outcome).toBe('voice');
    expect(await admin.send('lab/presence', { msisdn: '13800138000', state: 'reachable' })).toEqual({ notices: 1, reachableAlerts: 0 });
    await h.settle();
    const delivered = await admin.nextEvent('virtual-smsc/delivered');
    expect(delivered.to).toBe('+8613800138000');
    const handsets = await admin.send('lab/handsets', { numbers: ['13800138000'] });
    const b = handsets.find((x) => x.msisdn === '+8613800138000')!;
    expect(b.presence).toBe('reachable');
    expect(b.messages[0]!.text).toMatch(/left you a voice message/);
    const audit = await admin.send('audit/list', { command: 'lab/' });
    expect(audit.rows.map((r) => r.command).sort()).toEqual(['lab/call', 'lab/ivr', 'lab/ivr', 'lab/presence', 'lab/record']);
  });

  it('lets customer service manage subscribers and play voice messages (audited), but not use the Lab or the rules editor', async () => {
    const admin = await h.admin();
    const roles = await admin.send('roles/list', {});
    const cs = roles.find((r) => r.builtin === 'customer-service')!;
    const { client } = await h.operator('cathy', cs.id);
    await client.send('subscribers/provision', {
      msisdn: '13800138000',
      services: { missedCallAlert: true, reachableAlert: false, voicemail: true },
      language: 'zh-CN',
    });
    expect((await client.error('lab/call', { caller: '13900139000', callee: '13800138000' })).code).toBe('forbidden');
    expect((await client.error('rules/update', (await admin.send('rules/get', {})) as never)).code).toBe('forbidden');
    const { session } = await admin.send('lab/call', { caller: '13900139000', callee: '13800138000' });
    await admin.send('lab/ivr', { session, input: { digits: '1' } });
    await admin.send('lab/record', { session, seconds: 1 });
    await admin.send('lab/ivr', { session, input: { event: 'recorded' } });
    const detail = await client.send('subscribers/get', { msisdn: '+86 138 0013 8000' });
    const call = detail.calls.find((c) => c.hasVoice)!;
    const voice = await client.send('subscribers/voice-message', { callId: call.id });
    expect(Buffer.from(voice.wavBase64, 'base64').toString('ascii', 0, 4)).toBe('RIFF');
    const audit = await admin.send('audit/list', { actor: 'cathy', command: 'subscribers/voice-message' });
    expect(audit.rows[0]?.detail).toMatch(/played the voice message/);
  });

  it('validates template edits and rule changes, and a bulk import reports bad lines', async () => {
    const admin = await h.admin();
    const bad = await admin.error('templates/update', {
      key: 'missed-summary',
      language: 'en',
      text: 'You have {count} calls from {secret}',
    });
    expect(bad).toMatchObject({ code: 'validation', field: 'text' });
    const saved = await admin.send('templates/update', {
      key: 'missed-summary',
      language: 'en',
      text: 'You missed {count} calls. Reply D to {shortCode}.',
    });
    expect(saved.edited).toBe(true);
    const rules = await admin.send('rules/get', {});
    expect((await admin.error('rules/update', { ...rules, shortCode: '06' })).field).toBe('shortCode');
    admin.subscribe('provisioning/progress');
    const job = await admin.send('provisioning/import', {
      csv: 'msisdn,missedCallAlert,reachableAlert,voicemail,language,privacy,tariff\n13800000001,yes,no,no,en,all,\n12345,yes,no,no,en,all,\n13800000002,yes,yes,no,zh-CN,whitelist,gold\n',
    });
    let progress = job;
    while (progress.state === 'running') progress = await admin.nextEvent('provisioning/progress');
    expect(progress).toMatchObject({ state: 'done', total: 3, done: 3, opened: 3, failed: 1 });
    expect(progress.errors[0]).toMatchObject({ line: 3 });
    expect((await admin.send('subscribers/search', { query: '1380000' })).total).toBe(2);
  });
});

describe('subscriber commands', () => {
  it('finds a subscriber by any form of the number, refuses to create one twice, and tells the console numbering rules', async () => {
    const admin = await h.admin();
    await admin.send('subscribers/provision', {
      msisdn: '13800138000',
      services: { missedCallAlert: true, reachableAlert: false },
      createOnly: true,
    });
    const again = await admin.error('subscribers/provision', {
      msisdn: '+8613800138000',
      services: { missedCallAlert: false, reachableAlert: false },
      createOnly: true,
    });
    expect(again).toMatchObject({ code: 'conflict', field: 'msisdn' });
    for (const query of ['008613800138000', '+86 138 0013 8000', '13800138000', '0013'])
      expect((await admin.send('subscribers/search', { query })).total).toBe(1);
    expect((await admin.send('session/me', {})).numbering).toEqual({
      defaultCountryCode: '86',
      timeZone: 'Asia/Shanghai',
      voicemailNumber: '06002',
    });
    const rules = await admin.send('rules/get', {});
    expect((await admin.error('rules/update', { ...rules, timeZone: 'Mars/Olympus' })).field).toBe('timeZone');
  });
});
