/** The deployment's config file: its values win, the console shows and keeps them, and a broken file stops the start clearly. */
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../store/testing/temp-dir';
import { configFileName, ConfigFileError, readConfigFile } from './config-file';
import { startHarness, type Harness } from './testing/harness';

const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  while (cleanups.length) await cleanups.pop()!();
});

function dataDirWith(yaml: string): string {
  const { dir, cleanup } = tempDir('reachback-config-');
  cleanups.push(cleanup);
  writeFileSync(path.join(dir, configFileName), yaml);
  return dir;
}

async function harnessWith(yaml: string): Promise<Harness> {
  const h = await startHarness({ dataDir: dataDirWith(yaml) });
  cleanups.push(() => h.stop());
  return h;
}

describe('reachback.yaml', () => {
  it('fixes settings: the file wins, the console shows which, and refuses to change them', async () => {
    const h = await harnessWith(
      [
        '# Reproducible deployment of the reminder service',
        'serviceRules:',
        '  shortCode: "10658"',
        '  quietHours: { enabled: true, from: "22:30", to: "07:30" }',
        'security:',
        '  lockoutAttempts: 3',
      ].join('\n'),
    );
    const admin = await h.admin();
    const rules = await admin.send('rules/get', {});
    expect(rules.shortCode).toBe('10658');
    expect(rules.quietHours).toEqual({ enabled: true, from: '22:30', to: '07:30' });
    expect(rules.defaultCountryCode).toBe('86');
    expect((await admin.send('settings/get', {})).security.lockoutAttempts).toBe(3);
    const sources = await admin.send('settings/sources', {});
    expect(sources.file).toBe(path.join(h.dataDir, configFileName));
    expect(sources.fields).toEqual({ serviceRules: ['shortCode', 'quietHours'], security: ['lockoutAttempts'], smsc: [], sip: [] });

    const refused = await admin.error('rules/update', { ...rules, shortCode: '06001' });
    expect(refused).toMatchObject({ code: 'conflict', field: 'shortCode' });
    expect(refused.message).toContain(configFileName);
    expect(await admin.error('settings/update', { security: { lockoutAttempts: 9 } })).toMatchObject({ field: 'lockoutAttempts' });
    // Changing another security field, without repeating the file's, is fine.
    expect((await admin.send('settings/update', { security: { lockoutMinutes: 20 } })).security).toMatchObject({
      lockoutMinutes: 20,
      lockoutAttempts: 3,
    });
    // Fields the file leaves alone still change in the console, and the file's values survive a restart.
    expect((await admin.send('rules/update', { ...rules, dailyAlertCap: 7 })).dailyAlertCap).toBe(7);
    await h.restart();
    const again = await (await h.admin()).send('rules/get', {});
    expect(again).toMatchObject({ shortCode: '10658', dailyAlertCap: 7 });
  });

  it('registers network tokens from the file, shown as such; a token revoked in the console stays revoked', async () => {
    const token = 'file-token-for-msc-01-abcdef';
    const h = await harnessWith(`networkTokens:\n  - name: msc-01\n    token: ${token}\n`);
    const health = await h.api('GET', '/api/v1/subscribers/13800138000', undefined, { authorization: `Bearer ${token}` });
    expect(health.status).toBe(404); // authenticated: the subscriber is unknown
    const admin = await h.admin();
    const listed = (await admin.send('network-tokens/list', {})).find((t) => t.name === 'msc-01')!;
    expect(listed).toMatchObject({ source: 'file', hint: token.slice(-4), revokedAt: null });
    await admin.send('network-tokens/revoke', { id: listed.id });
    await h.restart();
    const after = await h.api('GET', '/api/v1/subscribers/13800138000', undefined, { authorization: `Bearer ${token}` });
    expect(after.status).toBe(401);
  });

  it('a broken file stops the start with the file, the line or the field, and what is wrong', () => {
    expect(readConfigFile(tempDir('reachback-config-').dir)).toBeNull();
    const cases: [string, RegExp][] = [
      ['serviceRules:\n  shortCode: [unclosed\n', /reachback\.yaml: .*line \d/],
      ['servicerules:\n  shortCode: "1"\n', /reachback\.yaml: \(top level\): Unrecognized key: "servicerules"/],
      ['serviceRules:\n  dailyAlertCap: -1\n', /serviceRules\.dailyAlertCap: /],
      ['serviceRules:\n  timeZone: Mars/Olympus\n', /serviceRules\.timeZone: Not a time zone/],
      ['networkTokens:\n  - name: x\n    token: short\n', /networkTokens\.0\.token: A network token has at least 16 characters/],
    ];
    for (const [yaml, message] of cases) {
      const dir = dataDirWith(yaml);
      expect(() => readConfigFile(dir)).toThrow(ConfigFileError);
      expect(() => readConfigFile(dir)).toThrow(message);
    }
  });

  it('the core does not start on a broken file, and opens nothing', async () => {
    const dir = dataDirWith('security:\n  lockoutAttempts: lots\n');
    await expect(startHarness({ dataDir: dir })).rejects.toThrow(/security\.lockoutAttempts/);
  });
});
