/** Agents, supervisors and the proxy's distribution question, for the desk's tests. */
import { afterEach, beforeEach } from 'vitest';
import { steps } from '../../adapters/network-api/testing';
import { startHarness, type Harness, type TestClient } from '../../server/testing/harness';

export const domain = 'reachback.test';

export async function builtinRoleId(admin: TestClient, builtin: string): Promise<number> {
  return (await admin.send('roles/list', {})).find((r) => r.builtin === builtin)!.id;
}

export function deskSteps(h: Harness) {
  let roleIds: { agent: number; supervisor: number } | null = null;
  const roles = async () => {
    if (roleIds) return roleIds;
    const admin = await h.admin();
    roleIds = { agent: await builtinRoleId(admin, 'agent'), supervisor: await builtinRoleId(admin, 'desk-supervisor') };
    return roleIds;
  };
  return {
    /** An operator with the Agent role, SIP user = username, signed in to the desk (Not ready). */
    async agent(username: string, options: { ready?: boolean; wrapUpSeconds?: number | null } = {}) {
      const { client, id } = await h.operator(username, (await roles()).agent);
      await client.send('desk/sip-settings-update', {
        wsUri: 'ws://127.0.0.1:8088',
        sipUri: `sip:${username}@${domain}`,
        password: `${username}-secret`,
        displayName: username,
        wrapUpSeconds: options.wrapUpSeconds ?? null,
      });
      await client.send('desk/status', {});
      if (options.ready) await client.send('desk/set-state', { state: 'ready' });
      return { client, id, sipUser: username };
    },
    async supervisor(username = 'sue') {
      return (await h.operator(username, (await roles()).supervisor)).client;
    },
    /** The proxy asks which agent rings (GET /api/v1/agents/route). */
    async route(query: { callid: string; caller?: string; called?: string; attempt?: number; tried?: string[]; session?: string }) {
      const params = new URLSearchParams({
        caller: query.caller ?? '',
        called: query.called ?? '',
        callid: query.callid,
        attempt: String(query.attempt ?? 1),
        tried: (query.tried ?? []).join(','),
        ...(query.session ? { session: query.session } : {}),
      });
      const res = await h.api('GET', `/api/v1/agents/route?${params}`);
      if (res.status !== 200) throw new Error(`route answered ${res.status}: ${JSON.stringify(res.body)}`);
      return (res.body as { agent: string | null }).agent;
    },
    tick: () => h.app.core.services.desk.tick(),
  };
}

export interface DeskTest {
  h: Harness;
  d: ReturnType<typeof deskSteps>;
  s: ReturnType<typeof steps>;
}

/** A fresh core for each test: `use` receives it before the test runs. */
export function useDeskHarness(use: (test: DeskTest) => void): void {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
    use({ h, d: deskSteps(h), s: steps(h) });
  });
  afterEach(async () => h.stop());
}
