/** Sign-in, sessions, permissions and audit, exercised over the real WebSocket API. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { allPermissions } from '../api';
import { startHarness, strongPassword, TestClient, type Harness } from './testing/harness';

let h: Harness;
beforeEach(async () => {
  h = await startHarness();
});
afterEach(async () => {
  await h.stop();
});

async function roleId(client: TestClient, builtin: string) {
  const roles = await client.send('roles/list', {});
  return roles.find((r) => r.builtin === builtin)!.id;
}

describe('first start', () => {
  it('creates an administrator with a one-time password that must be changed first', async () => {
    expect(h.adminPassword).toMatch(/^[A-Za-z0-9]{4}(-[A-Za-z0-9]{4}){3}$/);
    const c = await h.client();
    const { me } = await c.send('session/login', { username: 'admin', password: h.adminPassword });
    expect(me.mustChangePassword).toBe(true);
    expect(me.permissions).toEqual([...allPermissions].sort());
    expect((await c.error('operators/list', {})).code).toBe('password_change_required');
    await c.send('session/change-password', { currentPassword: h.adminPassword, newPassword: strongPassword });
    expect(await c.send('operators/list', {})).toHaveLength(1);
  });

  it('does not create another administrator on the next start', async () => {
    await h.restart();
    expect(h.app.core.initialAdmin).toBeNull();
  });

  it('enforces the password policy on the new password, naming the field', async () => {
    const c = await h.client();
    await c.send('session/login', { username: 'admin', password: h.adminPassword });
    const short = await c.error('session/change-password', { currentPassword: h.adminPassword, newPassword: 'short' });
    expect(short).toMatchObject({ code: 'validation', field: 'newPassword' });
    const withName = await c.error('session/change-password', { currentPassword: h.adminPassword, newPassword: 'xx-admin-xx-99' });
    expect(withName.message).toMatch(/username/);
    const wrongCurrent = await c.error('session/change-password', { currentPassword: 'nope', newPassword: strongPassword });
    expect(wrongCurrent).toMatchObject({ code: 'validation', field: 'currentPassword' });
  });
});

describe('sign-in', () => {
  it('gives the same answer for a wrong password and an unknown user, and audits both', async () => {
    const c = await h.client();
    const wrong = await c.error('session/login', { username: 'admin', password: 'wrong-password' });
    const unknown = await c.error('session/login', { username: 'nobody', password: 'wrong-password' });
    expect(wrong).toEqual(unknown);
    expect(wrong).toMatchObject({ code: 'invalid_credentials', message: 'The username or password is incorrect' });
    const admin = await h.admin();
    const audit = await admin.send('audit/list', { command: 'session/login', outcome: 'failed' });
    expect(audit.rows.map((r) => r.actorName).sort()).toEqual(['admin', 'nobody']);
  });

  it('locks sign-in for a while after 5 wrong tries, existing user or not, and unlocks after the wait', async () => {
    const c = await h.client();
    for (const username of ['admin', 'ghost']) {
      for (let i = 1; i <= 4; i++) expect((await c.error('session/login', { username, password: 'bad' })).code).toBe('invalid_credentials');
      const fifth = await c.error('session/login', { username, password: 'bad' });
      expect(fifth).toMatchObject({ code: 'account_locked', params: { minutes: 15 } });
    }
    // Even the right password is refused while locked.
    expect((await c.error('session/login', { username: 'admin', password: h.adminPassword })).code).toBe('account_locked');
    h.clock.advance(15 * 60_000 + 1);
    const { me } = await c.send('session/login', { username: 'admin', password: h.adminPassword });
    expect(me.username).toBe('admin');
  });

  it('lets an administrator unlock an operator before the wait ends', async () => {
    const admin = await h.admin();
    const cs = await roleId(admin, 'customer-service');
    const { id } = await h.operator('carol', cs);
    const c = await h.client();
    for (let i = 0; i < 5; i++) await c.error('session/login', { username: 'carol', password: 'bad' });
    const locked = (await admin.send('operators/list', {})).find((o) => o.id === id)!;
    expect(locked.lockedUntil).toBeGreaterThan(h.clock.now());
    const unlocked = await admin.send('operators/unlock', { id });
    expect(unlocked.lockedUntil).toBeNull();
    await c.send('session/login', { username: 'carol', password: strongPassword });
  });

  it('refuses a disabled operator and ends their open sessions', async () => {
    const admin = await h.admin();
    const { client, id } = await h.operator('dave', await roleId(admin, 'agent'));
    await admin.send('operators/update', { id, disabled: true });
    const ended = await client.nextEvent('session/ended');
    expect(ended.reason).toBe('disabled');
    expect((await client.error('session/me', {})).code).toBe('unauthenticated');
    const again = await h.client();
    expect((await again.error('session/login', { username: 'dave', password: strongPassword })).code).toBe('forbidden');
  });
});

describe('sign-in under attack', () => {
  it('counts parallel wrong passwords one by one, so a burst locks the account and the right password cannot slip through', async () => {
    const attacker = await h.client();
    const guesses = Array.from({ length: 12 }, (_, i) => (i === 11 ? h.adminPassword : `guess-${i}`));
    const answers = await Promise.all(
      guesses.map((password) => attacker.error('session/login', { username: 'admin', password }).catch(() => null)),
    );
    expect(answers.filter((a) => a?.code === 'account_locked').length).toBeGreaterThanOrEqual(7);
    expect(answers.some((a) => a === null)).toBe(false); // the right password did not get in
    const failures = await h.app.core.services.store.db
      .selectFrom('login_failures')
      .selectAll()
      .where('username', '=', 'admin')
      .executeTakeFirstOrThrow();
    expect(failures.count).toBeGreaterThanOrEqual(5);
    expect(Number(failures.locked_until)).toBeGreaterThan(h.clock.now());
  });
});

describe('no escalation', () => {
  it('an operator manager cannot give anyone, themselves included, more rights than they hold', async () => {
    const admin = await h.admin();
    const managers = await admin.send('roles/create', {
      name: 'Managers',
      permissions: ['operators.read', 'operators.manage', 'roles.read'],
    });
    const { client, id } = await h.operator('mona', managers.id);
    const systemAdmin = await roleId(admin, 'system-admin');
    const toAdmin = await client.error('operators/update', { id, roleId: systemAdmin });
    expect(toAdmin).toMatchObject({ code: 'forbidden' });
    expect(toAdmin.message).toMatch(/rights you do not have/);
    expect((await client.error('operators/create', { username: 'newadmin', displayName: 'x', roleId: systemAdmin })).code).toBe(
      'forbidden',
    );
    const adminId = (await admin.send('session/me', {})).id;
    expect((await client.error('operators/reset-password', { id: adminId })).code).toBe('forbidden');
    expect((await client.error('operators/update', { id: adminId, disabled: true })).code).toBe('forbidden');
    // Within their own rights they can still work (the built-in Agent role has desk.use, which mona lacks).
    expect(
      (await client.error('operators/create', { username: 'agent.one', displayName: 'x', roleId: await roleId(admin, 'agent') })).code,
    ).toBe('forbidden');
    const trainees = await admin.send('roles/create', { name: 'Trainees', permissions: ['operators.read'] });
    await client.send('operators/create', { username: 'agent.one', displayName: 'Agent One', roleId: trainees.id });
  });

  it('a role manager cannot add rights they lack to any role, their own included', async () => {
    const admin = await h.admin();
    const roleManagers = await admin.send('roles/create', { name: 'Role managers', permissions: ['roles.read', 'roles.manage'] });
    const { client } = await h.operator('rita', roleManagers.id);
    expect(
      (await client.error('roles/update', { id: roleManagers.id, permissions: ['roles.read', 'roles.manage', 'audit.read'] })).code,
    ).toBe('forbidden');
    expect((await client.error('roles/create', { name: 'Sneaky', permissions: ['settings.manage'] })).code).toBe('forbidden');
    const created = await client.send('roles/create', { name: 'Readers', permissions: ['roles.read'] });
    expect(created.permissions).toEqual(['roles.read']);
  });
});

describe('sessions', () => {
  it('stop receiving events once expired, and are told so', async () => {
    const admin = await h.admin();
    const watcher = await h.admin();
    watcher.subscribe('audit/appended');
    await admin.send('roles/create', { name: 'Before expiry', permissions: [] });
    await watcher.nextEvent('audit/appended');
    h.clock.advance(31 * 60_000);
    const fresh = await h.admin();
    await fresh.send('roles/create', { name: 'After expiry', permissions: [] });
    const ended = await watcher.nextEvent('session/ended');
    expect(ended.reason).toBe('expired');
    await new Promise((r) => setTimeout(r, 50));
    expect(watcher.events.filter((e) => e.name === 'audit/appended')).toEqual([]);
  });

  it('stop receiving events a role no longer allows', async () => {
    const admin = await h.admin();
    const readers = await admin.send('roles/create', { name: 'Readers', permissions: ['audit.read'] });
    const { client, id } = await h.operator('otto', readers.id);
    client.subscribe('audit/appended');
    await admin.send('operators/update', { id, roleId: await roleId(admin, 'agent') });
    await new Promise((r) => setTimeout(r, 50));
    client.events.length = 0;
    await admin.send('roles/create', { name: 'Later', permissions: [] });
    await new Promise((r) => setTimeout(r, 50));
    expect(client.events.filter((e) => e.name === 'audit/appended')).toEqual([]);
  });

  it('expire after the idle time and can be resumed on a new connection before that', async () => {
    const c = await h.admin();
    const token = (await (await h.client()).send('session/login', { username: 'admin', password: h.adminPassword })).token;
    h.clock.advance(29 * 60_000);
    const other = await h.client();
    const { me } = await other.send('session/resume', { token });
    expect(me.username).toBe('admin');
    h.clock.advance(31 * 60_000);
    expect((await c.error('operators/list', {})).code).toBe('session_expired');
    expect((await other.error('operators/list', {})).code).toBe('session_expired');
    expect((await (await h.client()).error('session/resume', { token })).code).toBe('unauthenticated');
  });

  it('end after the maximum length even when active', async () => {
    const c = await h.admin();
    for (let i = 0; i < 24; i++) {
      h.clock.advance(29 * 60_000);
      await c.send('session/me', {});
    }
    h.clock.advance(29 * 60_000); // 12 h 5 min in all, never idle for 30 min
    expect((await c.error('session/me', {})).code).toBe('session_expired');
  });

  it('are refused without sign-in', async () => {
    const c = await h.client();
    expect(await c.error('operators/list', {})).toMatchObject({ code: 'unauthenticated' });
  });
});

describe('permissions', () => {
  it('refuses a command the role does not allow, says which permission, and audits the refusal', async () => {
    const admin = await h.admin();
    const { client } = await h.operator('erin', await roleId(admin, 'customer-service'));
    const refused = await client.error('operators/list', {});
    expect(refused).toMatchObject({ code: 'forbidden', params: { permission: 'operators.read' } });
    const audit = await admin.send('audit/list', { outcome: 'denied' });
    expect(audit.rows[0]).toMatchObject({ actorName: 'erin', command: 'operators/list', outcome: 'denied' });
  });

  it('applies a custom role, and a change to it, on the next command', async () => {
    const admin = await h.admin();
    const role = await admin.send('roles/create', { name: 'Auditors', description: 'Read the audit log', permissions: ['audit.read'] });
    const { client } = await h.operator('frank', role.id);
    expect((await client.send('session/me', {})).permissions).toEqual(['audit.read']);
    await client.send('audit/list', {});
    expect((await client.error('roles/list', {})).code).toBe('forbidden');
    client.subscribe('session/refresh');
    await admin.send('roles/update', { id: role.id, permissions: ['audit.read', 'roles.read'] });
    await client.nextEvent('session/refresh');
    expect((await client.send('roles/list', {})).length).toBeGreaterThan(4);
  });

  it('keeps built-in roles read-only and refuses to delete a role in use', async () => {
    const admin = await h.admin();
    const builtin = await roleId(admin, 'agent');
    expect((await admin.error('roles/update', { id: builtin, permissions: ['audit.read'] })).code).toBe('conflict');
    expect((await admin.error('roles/delete', { id: builtin })).code).toBe('conflict');
    const role = await admin.send('roles/create', { name: 'Night shift', permissions: [] });
    await h.operator('gina', role.id);
    const inUse = await admin.error('roles/delete', { id: role.id });
    expect(inUse).toMatchObject({ code: 'conflict', params: { count: 1 } });
  });

  it('adds a built-in role a new version brings on the next start, even when a custom role already has its name', async () => {
    const admin = await h.admin();
    // As before the upgrade: no supervisor role built in, and an operator made one of that name themselves.
    await h.app.core.services.store.write((trx) => trx.deleteFrom('roles').where('builtin', '=', 'desk-supervisor').execute());
    const custom = await admin.send('roles/create', { name: 'Desk supervisor', permissions: ['desk.supervise'] });
    await h.restart();
    const roles = await (await h.admin()).send('roles/list', {});
    expect(roles.find((r) => r.id === custom.id)).toMatchObject({
      name: 'Desk supervisor',
      builtin: null,
      permissions: ['desk.supervise'],
    });
    expect(roles.find((r) => r.builtin === 'desk-supervisor')).toMatchObject({
      name: 'Desk supervisor (built-in)',
      permissions: ['desk.use', 'desk.supervise', 'subscribers.read'],
    });
  });

  it('never leaves the system without an administrator', async () => {
    const admin = await h.admin();
    const me = await admin.send('session/me', {});
    expect((await admin.error('operators/update', { id: me.id, disabled: true })).code).toBe('conflict');
    const agent = await roleId(admin, 'agent');
    expect((await admin.error('operators/update', { id: me.id, roleId: agent })).message).toMatch(/administrator/);
    expect((await admin.send('session/me', {})).role.name).toBe('System administrator');
  });
});

describe('validation and transport', () => {
  it('names the invalid field and saves nothing', async () => {
    const admin = await h.admin();
    const cs = await roleId(admin, 'customer-service');
    const bad = await admin.error('operators/create', { username: 'A b', displayName: 'x', roleId: cs });
    expect(bad).toMatchObject({ code: 'validation', field: 'username' });
    const noRole = await admin.error('operators/create', { username: 'hank', displayName: 'Hank', roleId: 999 });
    expect(noRole).toMatchObject({ code: 'validation', field: 'roleId' });
    const badPerm = await admin.error('roles/create', { name: 'X1', permissions: ['launch.missiles' as never] });
    expect(badPerm).toMatchObject({ code: 'validation', field: 'permissions.0' });
    const dup = await admin.error('operators/create', { username: 'admin', displayName: 'Again', roleId: cs });
    expect(dup).toMatchObject({ code: 'conflict', field: 'username' });
    expect(await admin.send('operators/list', {})).toHaveLength(1);
  });

  it('answers unknown commands and malformed frames clearly', async () => {
    const c = await h.client();
    expect((await c.error('no/such' as never, {} as never)).code).toBe('unknown_command');
    const notJson = await c.raw('{nope');
    expect(notJson).toMatchObject({ ok: false, error: { code: 'validation', message: 'The message is not valid JSON' } });
    const wrongShape = await c.raw({ type: 'command' });
    expect(wrongShape).toMatchObject({ ok: false, error: { code: 'validation' } });
  });

  it('refuses a socket without the launch key or from a foreign web page', async () => {
    const base = h.socketUrl.split('?')[0]!;
    await expect(TestClient.connect(base)).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(`${base}?key=wrong`)).rejects.toThrow('HTTP 401');
    await expect(TestClient.connect(h.socketUrl, { Origin: 'http://evil.example' })).rejects.toThrow('HTTP 403');
    const ok = await TestClient.connect(h.socketUrl, { Origin: h.app.http.url });
    ok.close();
  });

  it('drops frames over the size limit', async () => {
    const socket = new WebSocket(h.socketUrl);
    await new Promise((r) => socket.once('open', r));
    const closed = new Promise<number>((r) => socket.once('close', (code) => r(code)));
    socket.send('x'.repeat(300 * 1024));
    expect(await closed).toBe(1009);
  });
});

describe('audit', () => {
  it('records before and after of each change, never a password, and exports CSV with a BOM', async () => {
    const admin = await h.admin();
    const cs = await roleId(admin, 'customer-service');
    const { operator } = await admin.send('operators/create', { username: 'ivy', displayName: '客服 Ivy', roleId: cs });
    await admin.send('operators/update', { id: operator.id, displayName: 'Ivy Chen' });
    const page = await admin.send('audit/list', { command: 'operators/update' });
    expect(page.rows[0]).toMatchObject({ actorName: 'admin', target: 'operator:ivy' });
    expect(page.rows[0]!.before).toMatchObject({ displayName: '客服 Ivy' });
    expect(page.rows[0]!.after).toMatchObject({ displayName: 'Ivy Chen' });
    const all = await admin.send('audit/list', { pageSize: 100 });
    expect(JSON.stringify(all.rows)).not.toContain(h.adminPassword);
    expect(JSON.stringify(all.rows)).not.toContain(strongPassword);
    const csv = await admin.send('audit/export-csv', { text: 'ivy' });
    expect(csv.csv.startsWith('\uFEFFid,time_utc,actor')).toBe(true);
    expect(csv.csv).toContain('客服 Ivy');
    expect(csv.rows).toBe(2);
    expect(csv.filename).toMatch(/^reachback-audit-\d{14}\.csv$/);
  });

  it('matches % and _ literally in filters', async () => {
    const admin = await h.admin();
    await admin.send('operators/create', { username: 'john_doe', displayName: 'John', roleId: await roleId(admin, 'agent') });
    await admin.send('operators/create', { username: 'johnxdoe', displayName: 'Johnx', roleId: await roleId(admin, 'agent') });
    expect((await admin.send('audit/list', { text: 'john_doe' })).total).toBe(1);
    expect((await admin.send('audit/list', { text: '100%' })).total).toBe(0);
  });

  it('pages, filters and sorts on the server', async () => {
    const admin = await h.admin();
    for (let i = 0; i < 7; i++) await admin.send('roles/create', { name: `Role ${i}`, permissions: [] });
    const first = await admin.send('audit/list', { command: 'roles/create', page: 0, pageSize: 3 });
    const last = await admin.send('audit/list', { command: 'roles/create', page: 2, pageSize: 3 });
    expect(first.total).toBe(7);
    expect(first.rows).toHaveLength(3);
    expect(last.rows).toHaveLength(1);
    const asc = await admin.send('audit/list', { command: 'roles/create', sort: 'asc', pageSize: 1 });
    expect((asc.rows[0]!.after as { name: string }).name).toBe('Role 0');
    expect((await admin.error('audit/list', { pageSize: 500 })).field).toBe('pageSize');
  });

  it('survives a restart, like everything else acknowledged', async () => {
    const admin = await h.admin();
    await admin.send('roles/create', { name: 'Persistent', permissions: ['audit.read'] });
    await h.restart();
    const again = await h.admin();
    expect((await again.send('roles/list', {})).some((r) => r.name === 'Persistent')).toBe(true);
    expect((await again.send('audit/list', { command: 'roles/create' })).total).toBe(1);
  });

  it('pushes new entries to subscribed clients with the permission only', async () => {
    const admin = await h.admin();
    const { client: agent } = await h.operator('joe', await roleId(admin, 'agent'));
    admin.subscribe('audit/appended');
    agent.subscribe('audit/appended');
    await admin.send('roles/create', { name: 'Evented', permissions: [] });
    const entry = await admin.nextEvent('audit/appended');
    expect(entry.command).toBe('roles/create');
    await new Promise((r) => setTimeout(r, 100));
    expect(agent.events.filter((e) => e.name === 'audit/appended')).toEqual([]);
  });
});

describe('settings', () => {
  it('validates, saves with audit, and applies the new lockout policy', async () => {
    const admin = await h.admin();
    expect((await admin.error('settings/update', { security: { lockoutAttempts: 1 } })).field).toBe('security.lockoutAttempts');
    const saved = await admin.send('settings/update', { security: { lockoutAttempts: 3 } });
    expect(saved.security.lockoutAttempts).toBe(3);
    const c = await h.client();
    for (let i = 0; i < 2; i++) await c.error('session/login', { username: 'x', password: 'bad' });
    expect((await c.error('session/login', { username: 'x', password: 'bad' })).code).toBe('account_locked');
    await h.restart();
    const again = await h.admin();
    expect((await again.send('settings/get', {})).security.lockoutAttempts).toBe(3);
  });
});
