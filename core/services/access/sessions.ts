/**
 * Console sessions live in memory: a restart signs everyone out, which is
 * what a desktop app's users expect, and keeps session touches off the journal.
 * A session ends after `idleMinutes` without a command or `maxHours` in all.
 */
import { createHash, randomBytes } from 'node:crypto';
import type { Clock } from '../../clock';

export interface Session {
  /** Hash of the token; the token itself is only ever held by the client. */
  id: string;
  operatorId: number;
  createdAt: number;
  lastSeenAt: number;
}

export type SessionLookup = { ok: true; session: Session } | { ok: false; reason: 'unknown' | 'expired' };

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

export class SessionRegistry {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly clock: Clock,
    private readonly limits: () => { idleMinutes: number; maxHours: number },
  ) {}

  create(operatorId: number): { token: string; session: Session } {
    const token = randomBytes(32).toString('base64url');
    const now = this.clock.now();
    const session: Session = { id: hashToken(token), operatorId, createdAt: now, lastSeenAt: now };
    this.sessions.set(session.id, session);
    return { token, session };
  }

  /** Finds a live session by token and counts this as activity. */
  touch(token: string): SessionLookup {
    return this.touchById(hashToken(token));
  }

  touchById(id: string): SessionLookup {
    const session = this.sessions.get(id);
    if (!session) return { ok: false, reason: 'unknown' };
    const now = this.clock.now();
    const { idleMinutes, maxHours } = this.limits();
    if (now - session.lastSeenAt > idleMinutes * 60_000 || now - session.createdAt > maxHours * 3_600_000) {
      this.sessions.delete(id);
      return { ok: false, reason: 'expired' };
    }
    session.lastSeenAt = now;
    return { ok: true, session };
  }

  /** Whether a session is still live, without counting this as activity (for event delivery). */
  isLive(id: string): boolean {
    const session = this.sessions.get(id);
    if (!session) return false;
    const now = this.clock.now();
    const { idleMinutes, maxHours } = this.limits();
    return now - session.lastSeenAt <= idleMinutes * 60_000 && now - session.createdAt <= maxHours * 3_600_000;
  }

  operatorOf(id: string): number | null {
    return this.sessions.get(id)?.operatorId ?? null;
  }

  end(id: string): void {
    this.sessions.delete(id);
  }

  /** Ends every session of an operator; returns the ended session ids. */
  endForOperator(operatorId: number, exceptId?: string): string[] {
    const ended: string[] = [];
    for (const [id, s] of this.sessions) {
      if (s.operatorId === operatorId && id !== exceptId) {
        this.sessions.delete(id);
        ended.push(id);
      }
    }
    return ended;
  }

  sessionsOf(operatorIds: ReadonlySet<number>): string[] {
    return [...this.sessions.values()].filter((s) => operatorIds.has(s.operatorId)).map((s) => s.id);
  }
}
