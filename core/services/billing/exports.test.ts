/** The daily charge export (format: docs/billing-export.md) and the what-if, over the real core. */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';
import { exportColumns } from './exports';
import { addUsage, at, local, provision, seedPlan, seedVersion } from './testing';

let h: Harness;
let dir: string;
beforeEach(async () => {
  h = await startHarness();
  dir = path.join(h.dataDir, 'exports');
  mkdirSync(dir);
});
afterEach(async () => h.stop());

const A = '+8613800138001';
const B = '+8613800138002';

async function download(client: TestClient, seq: number): Promise<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; ;) {
    const chunk = await client.send('billing/export-download', { seq, offset, maxBytes: 1024 });
    parts.push(Buffer.from(chunk.base64, 'base64'));
    offset += Buffer.from(chunk.base64, 'base64').length;
    if (chunk.done) return Buffer.concat(parts);
  }
}

describe('daily charge export', () => {
  it('refuses a folder it cannot write, naming it, and records nothing', async () => {
    const admin = await h.admin();
    // Root writes through permission bits, so as root a read-only kernel folder stands in for one.
    const readOnly = process.getuid?.() === 0 ? '/sys' : path.join(h.dataDir, 'read-only');
    if (readOnly !== '/sys') {
      mkdirSync(readOnly);
      chmodSync(readOnly, 0o500);
    }
    expect(await admin.error('billing/settings-update', { exportDir: readOnly })).toMatchObject({
      code: 'validation',
      field: 'exportDir',
      message: expect.stringMatching(/^The export folder .* is not writable \(E[A-Z]+\)/),
    });
    expect(await admin.error('billing/export', { day: '2026-11-24' })).toMatchObject({
      field: 'exportDir',
      message: 'Set the export folder in the billing settings first',
    });
    await admin.send('billing/settings-update', { exportDir: dir });
    // The folder goes away (a file takes its place) between configuring and exporting.
    rmSync(dir, { recursive: true });
    writeFileSync(dir, '');
    expect(await admin.error('billing/export', { day: '2026-11-24' })).toMatchObject({
      field: 'exportDir',
      message: `${dir} is not a folder`,
    });
    expect(await admin.send('billing/exports', {})).toEqual([]);
    expect((await admin.send('audit/list', { command: 'billing/export' })).rows.map((r) => r.outcome)).toEqual(['failed', 'failed']);
  });

  it('writes a day’s charges with a sequence number, a row count and a checksum, downloadable by the console', async () => {
    const admin = await h.admin();
    await admin.send('billing/settings-update', { exportDir: dir });
    await admin.send('tariffs/create', { plan: seedPlan() });
    await provision(admin, A);
    await provision(admin, B);
    await addUsage(h, A, 'missed-detail', [local('2026-11-26 10:00'), local('2026-11-26 23:59')]);
    await addUsage(h, B, 'voice-message', [local('2026-11-26 00:00'), local('2026-11-27 00:00')]);
    expect(await admin.error('billing/export', { day: '2026-11-26' })).toMatchObject({
      field: 'day',
      message: expect.stringContaining('is not over yet'),
    });

    const later = await at(h, '2026-11-27 01:00');
    await later.send('billing/adjust', { msisdn: A, cycle: '2026-11', amount: -5, reason: '=Refund, "duplicate" detail' });
    const file = await later.send('billing/export', { day: '2026-11-26' });
    expect(file).toMatchObject({ seq: 1, day: '2026-11-26', filename: 'reachback-charges-20261126-000001.csv', rows: 3 });
    expect(readdirSync(dir)).toEqual([file.filename]);

    const bytes = readFileSync(path.join(dir, file.filename));
    expect(await download(later, 1)).toEqual(bytes);
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString('utf8');
    const lines = text.split('\r\n');
    expect(lines.at(-1)).toBe('');
    expect(lines[0]).toBe(`H,reachback-charges,1,1,2026-11-26,${new Date(local('2026-11-27 01:00')).toISOString()},Asia/Shanghai`);
    expect(lines[1]).toBe(exportColumns.join(','));
    const rows = lines.slice(2, -2).map((line) => line.split(','));
    expect(rows.map((r) => [r[1], r[3], r[7], r[11], r[15]])).toEqual([
      ['usage', '8613800138002', 'voice-message', '2026-11-26 00:00:00', '20'],
      ['usage', '8613800138001', 'missed-detail', '2026-11-26 10:00:00', '10'],
      ['usage', '8613800138001', 'missed-detail', '2026-11-26 23:59:00', '10'],
    ]);
    const trailer = lines.at(-2)!.split(',');
    const body = text.slice(0, text.lastIndexOf('T,'));
    expect(trailer).toEqual(['T', '3', createHash('sha256').update(body, 'utf8').digest('hex')]);
    expect(file.sha256).toBe(trailer[2]);

    expect(await later.error('billing/export', { day: '2026-11-26' })).toMatchObject({
      code: 'conflict',
      message: expect.stringContaining('sequence 1'),
    });
    // The next day's file carries the adjustment made that day, its text kept safe for spreadsheets.
    const next = await at(h, '2026-11-28 01:00');
    const second = await next.send('billing/export', { day: '2026-11-27' });
    expect(second.seq).toBe(2);
    const secondText = readFileSync(second.path, 'utf8');
    expect(secondText).toContain(`adjustment,2026-11,8613800138001,basic,,manual:2026-11:1,,,,`);
    expect(secondText).toContain(`,-5,-5,,CNY,"'=Refund, ""duplicate"" detail"\r\n`);
    expect((await next.send('billing/exports', {})).map((f) => f.seq)).toEqual([2, 1]);

    // The close day's file has each subscriber's rent and statement total.
    const close = await at(h, '2026-12-01 08:00');
    await close.send('billing/close', { cycle: '2026-11' });
    const closing = await at(h, '2026-12-02 08:00');
    const third = await closing.send('billing/export', { day: '2026-12-01' });
    const kinds = readFileSync(third.path, 'utf8')
      .split('\r\n')
      .slice(2, -2)
      .map((line) => line.split(',').slice(1, 4).join(' '));
    expect(kinds).toEqual([
      'rent 2026-11 8613800138001',
      'statement 2026-11 8613800138001',
      'rent 2026-11 8613800138002',
      'statement 2026-11 8613800138002',
    ]);
    expect(existsSync(path.join(dir, `.${third.filename}.tmp`))).toBe(false);
  });
});

describe('what-if', () => {
  it('applies a draft to a past cycle: the revenue difference by plan and the subscribers most affected', async () => {
    const admin = await h.admin();
    await admin.send('tariffs/create', { plan: seedPlan() });
    await provision(admin, A);
    await provision(admin, B);
    await addUsage(
      h,
      A,
      'missed-detail',
      Array.from({ length: 5 }, (_, i) => local(`2026-11-26 1${i}:00`)),
    );
    await addUsage(h, B, 'missed-detail', [local('2026-11-26 10:00')]);
    const plan = (await admin.send('tariffs/get', { id: 'basic' })).plan;
    const draft = seedVersion({
      number: 2,
      status: 'draft',
      effectiveFrom: '2026-12-01',
      usagePrices: { ...seedVersion().usagePrices, 'missed-detail': 15 },
    });
    await admin.send('tariffs/update', { plan: { ...plan, versions: [...plan.versions, draft] } });
    expect((await admin.error('tariffs/what-if', { id: 'basic', cycle: '2026-11', version: 2 })).field).toBe('cycle');

    const later = await at(h, '2026-12-01 08:00');
    await later.send('billing/close', { cycle: '2026-11' });
    const report = await later.send('tariffs/what-if', { id: 'basic', cycle: '2026-11', version: 2 });
    expect(report).toMatchObject({ planId: 'basic', cycle: '2026-11', version: 2, subscribers: 2, difference: 30 });
    expect(report.byPlan).toEqual([
      { planId: 'basic', subscribers: 2, actual: report.actual, simulated: report.actual + 30, difference: 30 },
    ]);
    expect(report.mostAffected.map((m) => [m.party, m.difference])).toEqual([
      [A, 25],
      [B, 5],
    ]);
    // An unsaved draft from the editor works the same way.
    const unsaved = await later.send('tariffs/what-if', { id: 'basic', cycle: '2026-11', draft: { ...draft, monthlyRent: 0 }, top: 1 });
    // Without rent: A pays 75 instead of 650 (6 days of rent and 5 details), B 15 instead of 610.
    expect(report.actual).toBe(1260);
    expect(unsaved).toMatchObject({ version: null, difference: 90 - 1260, mostAffected: [{ party: B, difference: 15 - 610 }] });
  });
});
