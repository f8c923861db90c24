/**
 * Routes parsed receipts to messages: every part's receipt of a long message maps to the message (whose SMSC id is
 * its first part's id), a receipt that beats its submit_sm_resp waits for it, and a receipt the engine cannot place
 * yet (its write of the SMSC id may still be in progress) is offered again before it is called unknown.
 */
import type { Logger } from '../../logger';
import { messageIdVariants, type DeliveryReceipt, type ReceiptState } from './receipts';

export interface ReceiptRouterOptions {
  /** The message's final state to the engine; resolves false when the engine does not know the id. */
  deliver(smscId: string, state: ReceiptState, error: string | undefined): Promise<boolean>;
  /** True while submit_sm await their response: an id not seen yet may belong to one of them. */
  submitsInFlight(): boolean;
  /** Once per receipt that decides a message (or is passed on untracked), however often it is offered. */
  onOutcome(state: ReceiptState): void;
  onUnknown(receipt: RoutedReceipt): void;
  logger: Logger;
  now(): number;
  /** How long a receipt waits for its submit_sm_resp: the response timeout, after which none can come. */
  holdMs: number;
  /** How long the parts of a long message are remembered. */
  trackingMs: number;
  /** Delays before offering a receipt of a message we submitted again, while the engine does not know it yet. */
  retryDelaysMs?: number[];
}

/** A receipt with the sequence_number of the deliver_sm that carried it, for the logs. */
export type RoutedReceipt = DeliveryReceipt & { seq: number };

interface TrackedMessage {
  smscId: string;
  totalParts: number;
  parts: Map<string, ReceiptState | null>;
  decided: boolean;
  expiresAt: number;
}

// A single-part message needs tracking only while the engine may still be recording its SMSC id.
const SINGLE_PART_TRACKING_MS = 60_000;
const SWEEP_INTERVAL_MS = 60_000;

export class ReceiptRouter {
  private readonly byPartId = new Map<string, TrackedMessage>();
  private readonly held = new Map<string, { receipt: RoutedReceipt; timer: NodeJS.Timeout }[]>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly sweepTimer: NodeJS.Timeout;
  private readonly retryDelaysMs: number[];

  constructor(private readonly options: ReceiptRouterOptions) {
    this.retryDelaysMs = options.retryDelaysMs ?? [250, 1_000, 4_000];
    this.sweepTimer = setInterval(() => this.sweep(), SWEEP_INTERVAL_MS).unref();
  }

  /** A part's submit_sm_resp arrived with `partId`; `smscId` is the first part's id. */
  accepted(smscId: string, partId: string, totalParts: number): void {
    let message = partId === smscId ? undefined : this.byPartId.get(smscId);
    if (!message) {
      const trackingMs = totalParts > 1 ? this.options.trackingMs : SINGLE_PART_TRACKING_MS;
      message = { smscId, totalParts, parts: new Map(), decided: false, expiresAt: this.options.now() + trackingMs };
    }
    message.parts.set(partId, null);
    this.byPartId.set(partId, message);
    for (const id of [partId, ...messageIdVariants(partId)]) {
      const waiting = this.held.get(id);
      if (!waiting) continue;
      this.held.delete(id);
      for (const { receipt, timer } of waiting) {
        clearTimeout(timer);
        this.apply(message, partId, receipt);
      }
    }
  }

  receive(receipt: RoutedReceipt): void {
    const { logger } = this.options;
    if (receipt.outcome === 'intermediate') {
      logger.debug('smpp intermediate receipt ignored', { seq: receipt.seq, messageId: receipt.messageId, stat: receipt.stat });
      return;
    }
    if (receipt.outcome === 'unrecognized') {
      logger.warn('smpp receipt with an unrecognised stat ignored', { seq: receipt.seq, messageId: receipt.messageId, stat: receipt.stat });
      return;
    }
    if (this.place(receipt)) return;
    // A submit_sm_resp read in the same chunk as this receipt has resolved its submit, but the continuation that
    // registers its id (accepted) runs only after this PDU: look again once it has, before calling it unknown.
    setImmediate(() => {
      if (!this.place(receipt)) this.offer(receipt, null);
    });
  }

  /** Applies the receipt to a message submitted here, or holds it while submits wait for their response. */
  private place(receipt: RoutedReceipt): boolean {
    const found = this.lookup(receipt.messageId);
    if (found) this.apply(found.message, found.partId, receipt);
    else if (this.options.submitsInFlight()) this.hold(receipt);
    else return false;
    return true;
  }

  dispose(): void {
    clearInterval(this.sweepTimer);
    for (const timer of this.timers) clearTimeout(timer);
    for (const waiting of this.held.values()) for (const { timer } of waiting) clearTimeout(timer);
    this.timers.clear();
    this.held.clear();
    this.byPartId.clear();
  }

  private lookup(id: string): { message: TrackedMessage; partId: string } | undefined {
    for (const partId of [id, ...messageIdVariants(id)]) {
      const message = this.byPartId.get(partId);
      if (message) return { message, partId };
    }
    return undefined;
  }

  private hold(receipt: RoutedReceipt): void {
    const timer = setTimeout(() => {
      const waiting = this.held.get(receipt.messageId)?.filter((entry) => entry.receipt !== receipt) ?? [];
      if (waiting.length) this.held.set(receipt.messageId, waiting);
      else this.held.delete(receipt.messageId);
      // No submit_sm_resp named it: perhaps a message sent before a restart, which only the engine knows.
      this.offer(receipt, null);
    }, this.options.holdMs).unref();
    const waiting = this.held.get(receipt.messageId) ?? [];
    waiting.push({ receipt, timer });
    this.held.set(receipt.messageId, waiting);
    this.options.logger.debug('smpp receipt arrived before its submit_sm_resp; holding it', {
      seq: receipt.seq,
      messageId: receipt.messageId,
    });
  }

  private apply(message: TrackedMessage, partId: string, receipt: RoutedReceipt): void {
    const state = receipt.outcome as ReceiptState;
    if (message.decided) {
      this.options.logger.debug('smpp receipt for a part of a message already decided', {
        seq: receipt.seq,
        smscId: message.smscId,
        partId,
        stat: receipt.stat,
      });
      return;
    }
    message.parts.set(partId, state);
    const states = [...message.parts.values()];
    // Any part not delivered decides the message at once; delivered needs every part.
    if (state !== 'delivered' || (states.length === message.totalParts && states.every((s) => s === 'delivered'))) {
      message.decided = true;
      this.offer(receipt, message.smscId);
    }
    if (states.length === message.totalParts && states.every((s) => s !== null)) {
      for (const id of message.parts.keys()) this.byPartId.delete(id);
    }
  }

  /**
   * Hands the state to the engine. A message submitted here is offered again while the engine does not know its id
   * yet; a receipt we cannot place (sent before a restart) is offered under each spelling of its id.
   */
  private offer(receipt: RoutedReceipt, submittedAs: string | null): void {
    const state = receipt.outcome as ReceiptState;
    this.options.onOutcome(state);
    const error = state === 'delivered' ? undefined : receipt.error ? `${receipt.stat} err:${receipt.error}` : receipt.stat;
    const candidates = submittedAs !== null ? [submittedAs] : [receipt.messageId, ...messageIdVariants(receipt.messageId)];
    const retryDelays = submittedAs !== null ? [...this.retryDelaysMs] : [];
    const tryOnce = async () => {
      for (const smscId of candidates) if (await this.options.deliver(smscId, state, error)) return true;
      return false;
    };
    const attempt = () =>
      tryOnce().then(
        (known) => {
          if (known) return;
          const delay = retryDelays.shift();
          if (delay !== undefined) {
            const timer = setTimeout(() => {
              this.timers.delete(timer);
              attempt();
            }, delay).unref();
            this.timers.add(timer);
            return;
          }
          this.options.logger.warn('smpp receipt for an unknown message id', {
            seq: receipt.seq,
            messageId: receipt.messageId,
            stat: receipt.stat,
          });
          this.options.onUnknown(receipt);
        },
        (failure: unknown) =>
          this.options.logger.error('smpp receipt could not be applied', {
            seq: receipt.seq,
            messageId: receipt.messageId,
            state,
            error: (failure as Error).message ?? String(failure),
          }),
      );
    attempt();
  }

  private sweep(): void {
    const now = this.options.now();
    for (const [id, message] of this.byPartId) if (message.expiresAt <= now) this.byPartId.delete(id);
  }
}
