/**
 * Joins the softphone to the core while the desk is open: signs the agent in (desk/status, again every minute,
 * which also keeps the console session alive), starts the phone with the agent's SIP settings, follows the
 * agent's state from desk/my-state, and reports every call (ringing, answered, ended, with the SIP Call-ID and
 * the headers) in order, retrying while the core cannot be reached so that no report is lost.
 */
import type { DeskSipSettings } from '../../../core/api/desk-types';
import { call } from '../../api/call';
import { CommandError } from '../../api/client';
import { core } from '../../api/core';
import { useStore } from '../../store';
import { useDeskStore } from './deskStore';
import { softphone, type CallEvent, type PhoneConfig } from './softphone';
import { draftHasText, loadDraft } from './workItems';

const statusPollMs = 60_000;
const reportRetryMs = [1000, 2000, 4000, 8000, 10_000];
const reportGiveUpMs = 10 * 60_000;
const rejectReportWaitMs = 1500;

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export function phoneConfigOf(settings: DeskSipSettings): PhoneConfig {
  return {
    wsUri: settings.wsUri,
    sipUri: settings.sipUri,
    password: settings.password,
    displayName: settings.displayName,
    dtmfMode: settings.dtmfMode,
    callWaiting: settings.callWaiting,
  };
}

class DeskController {
  private running = false;
  private cleanups: (() => void)[] = [];
  private reports: Promise<void> = Promise.resolve();
  /** Reports waiting or being retried, for the screen ("2 call events not yet reported"). */
  private pending = 0;
  private readonly pendingListeners = new Set<() => void>();
  /** Settings saved during a call: the phone restarts with them when the call is over. */
  private restartWith: DeskSipSettings | null = null;
  /** Calls whose end the core already heard of (a rejection reported before the 486). */
  private readonly endReported = new Set<string>();

  get pendingReports(): number {
    return this.pending;
  }

  onPendingChange = (listener: () => void): (() => void) => {
    this.pendingListeners.add(listener);
    return () => this.pendingListeners.delete(listener);
  };

  private setPending(delta: number): void {
    this.pending += delta;
    for (const listener of this.pendingListeners) listener();
  }

  start(operatorId: number): void {
    if (this.running) return;
    this.running = true;
    const desk = useDeskStore.getState();
    desk.loadWork(operatorId);
    void softphone.setDevices(desk.devices);

    this.cleanups.push(
      core.listen('desk/my-state', (agent) => {
        if (agent.operatorId === useDeskStore.getState().operatorId) useDeskStore.getState().setAgent(agent);
      }),
      core.listen('desk/config-changed', () => void this.refreshStatus()),
      softphone.onCallEvent((event) => this.callEvent(event)),
    );
    // Events may have been missed while the connection was down: read the state again after every re-bind.
    let epoch = useStore.getState().sessionEpoch;
    this.cleanups.push(
      useStore.subscribe((s) => {
        if (s.sessionEpoch !== epoch) {
          epoch = s.sessionEpoch;
          void this.refreshStatus();
        }
      }),
    );
    const poll = setInterval(() => void this.refreshStatus(), statusPollMs);
    this.cleanups.push(() => clearInterval(poll));

    void softphone.probeMicrophone();
    void this.boot();
  }

  stop(): void {
    if (!this.running) return;
    this.running = false;
    for (const cleanup of this.cleanups.splice(0)) cleanup();
    softphone.stop();
  }

  private async boot(): Promise<void> {
    const status = await this.refreshStatus();
    if (!status || !this.running) return;
    try {
      const { settings } = await call('desk/sip-settings', {});
      if (!this.running) return;
      useDeskStore.getState().setSettings(settings);
      if (settings) softphone.start(phoneConfigOf(settings));
      else useDeskStore.getState().setSettingsOpen(true);
    } catch (error) {
      useDeskStore.getState().setLoadError(error);
    }
    // A call the core still thinks is open at this desk is gone with the page that had it (a reload ends the SIP dialog).
    const stale = status.agent.currentCall;
    if (stale && stale.outcome === null && !softphone.getSnapshot().calls.some((c) => c.id === stale.callId)) {
      void this.report(() => call('desk/call-ended', { callId: stale.callId, reason: stale.answeredAt ? 'failed' : 'missed' }));
    }
  }

  /** desk/status: signs the agent in (Offline → Not ready) and keeps the console session alive. */
  async refreshStatus() {
    try {
      const status = await call('desk/status', {});
      if (this.running) useDeskStore.getState().setStatus(status);
      return status;
    } catch (error) {
      if (this.running) useDeskStore.getState().setLoadError(error);
      return null;
    }
  }

  /**
   * Rejects a ringing call, telling the core first: the proxy asks the core for the next agent as soon as it gets
   * the 486, and a call still open at this desk then would make the core take the agent for absent (Not ready).
   * The 486 goes after at most rejectReportWaitMs, whatever the core does.
   */
  async reject(id: string): Promise<void> {
    const ringingCall = softphone.getSnapshot().calls.find((c) => c.id === id && c.state === 'ringing');
    if (!ringingCall) return;
    const reported = this.report(() => call('desk/call-ended', { callId: id, reason: 'rejected' }));
    const ok = await Promise.race([reported, wait(rejectReportWaitMs).then(() => false)]);
    if (ok) this.endReported.add(id);
    softphone.reject(id);
  }

  /** Saved settings apply at once (the phone starts over with them), or once the call in progress is over. */
  applySettings(settings: DeskSipSettings): void {
    useDeskStore.getState().setSettings(settings);
    if (!this.running) return;
    if (softphone.getSnapshot().calls.some((c) => c.state !== 'ended')) this.restartWith = settings;
    else softphone.start(phoneConfigOf(settings));
  }

  private callEvent({ type, call: phoneCall }: CallEvent): void {
    const desk = useDeskStore.getState();
    const callId = phoneCall.id;
    if (type === 'ringing') {
      if (!phoneCall.busyRejected) {
        desk.addWork({
          callId,
          caller: phoneCall.caller,
          called: phoneCall.called,
          session: phoneCall.session,
          receivedAt: phoneCall.receivedAt,
        });
        // The context pops at once, unless the agent is talking to someone else.
        const talking = softphone.getSnapshot().calls.some((c) => c.id !== callId && c.state === 'active');
        if (!talking) desk.select(callId);
      }
      void this.report(() =>
        call('desk/call-started', { callId, caller: phoneCall.caller, called: phoneCall.called, session: phoneCall.session }),
      );
    } else if (type === 'answered') {
      desk.select(callId);
      void this.report(() => call('desk/call-answered', { callId }));
    } else {
      const reason = phoneCall.endReason ?? 'hangup';
      const transferTarget = phoneCall.transfer?.state === 'accepted' ? phoneCall.transfer.target : undefined;
      if (!this.endReported.delete(callId))
        void this.report(() => call('desk/call-ended', { callId, reason, ...(transferTarget ? { transferTarget } : {}) }));
      // A call that only rang leaves nothing to finish, unless the agent started a message for it.
      const item = useDeskStore.getState().work.find((w) => w.callId === callId);
      const operatorId = useDeskStore.getState().operatorId;
      const draft = operatorId !== null ? loadDraft(operatorId, callId) : null;
      if (item && !phoneCall.answeredAt && item.saved.length === 0 && !draftHasText(draft)) desk.closeWork(callId);
      const pending = this.restartWith;
      if (pending && !softphone.getSnapshot().calls.some((c) => c.state !== 'ended')) {
        this.restartWith = null;
        softphone.start(phoneConfigOf(pending));
      }
    }
  }

  /**
   * Reports go one after the other, and are retried while the core cannot be reached. Resolves true once the
   * core took it, false when it refused or the retries ran out.
   */
  private report(send: () => Promise<unknown>): Promise<boolean> {
    this.setPending(1);
    const done = this.reports.then(async () => {
      const started = Date.now();
      try {
        for (let attempt = 0; ; attempt++) {
          try {
            await send();
            return true;
          } catch (error) {
            const retry = error instanceof CommandError && error.code === 'unavailable' && Date.now() - started < reportGiveUpMs;
            if (!retry) return false;
            await wait(reportRetryMs[Math.min(attempt, reportRetryMs.length - 1)]!);
          }
        }
      } finally {
        this.setPending(-1);
      }
    });
    this.reports = done.then(() => undefined);
    return done;
  }
}

export const deskController = new DeskController();
