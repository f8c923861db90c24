/** Pacing, windowing and rate measurement for the SMPP link. Time is injectable so tests stay deterministic. */

export type Now = () => number;

/**
 * A token bucket kept as a schedule (GCRA): each send reserves the next slot, 1/tps after the previous one.
 * Slots are absolute times, so a timer that fires late does not lower the rate over a few seconds; an idle
 * link earns at most `burstMs` of credit, so the rate stays within a few percent even at the start.
 */
export class Pacer {
  private nextSlot = -Infinity;
  private readonly intervalMs: number;
  private readonly burstMs: number;

  /** tps 0: no limit. */
  constructor(
    tps: number,
    private readonly now: Now,
  ) {
    this.intervalMs = tps > 0 ? 1000 / tps : 0;
    this.burstMs = Math.max(this.intervalMs, 20);
  }

  /** Reserves a slot; returns how long to wait before sending in it. */
  reserve(): number {
    const now = this.now();
    const slot = Math.max(this.nextSlot, now - this.burstMs);
    this.nextSlot = slot + this.intervalMs;
    return Math.max(0, slot - now);
  }

  /** After the SMSC said "too fast": no slot before `ms` from now. */
  holdFor(ms: number): void {
    this.nextSlot = Math.max(this.nextSlot, this.now() + ms);
  }
}

/** A counting semaphore with FIFO waiters: the submit_sm window. */
export class Window {
  private used = 0;
  private readonly waiters: { grant: () => void; refuse: (error: Error) => void }[] = [];
  private readonly idleWaiters: (() => void)[] = [];

  constructor(private readonly size: number) {}

  get inUse(): number {
    return this.used;
  }

  get waiting(): number {
    return this.waiters.length;
  }

  /** Resolves with the function that gives the slot back (call it once). */
  async acquire(): Promise<() => void> {
    if (this.used < this.size) this.used++;
    else await new Promise<void>((grant, refuse) => this.waiters.push({ grant, refuse }));
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiters.shift();
      // The slot passes straight to the next waiter, so `used` stays the same.
      if (next) next.grant();
      else this.used--;
      if (this.used === 0) for (const resolve of this.idleWaiters.splice(0)) resolve();
    };
  }

  /** Resolves once no slot is in use. */
  idle(): Promise<void> {
    return this.used === 0 ? Promise.resolve() : new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Refuses everyone waiting (on stop). */
  refuseWaiters(error: Error): void {
    for (const waiter of this.waiters.splice(0)) waiter.refuse(error);
  }
}

/** Events per second over a sliding window of 250 ms buckets. */
export class RateMeter {
  private static readonly BUCKET_MS = 250;
  private readonly buckets: number[];
  private currentBucket: number;
  private firstBucket: number | null = null;

  constructor(
    private readonly now: Now,
    windowMs = 5_000,
  ) {
    this.buckets = new Array<number>(Math.max(2, Math.round(windowMs / RateMeter.BUCKET_MS))).fill(0);
    this.currentBucket = Math.floor(now() / RateMeter.BUCKET_MS);
  }

  record(count = 1): void {
    this.advance();
    this.firstBucket ??= this.currentBucket;
    const index = this.currentBucket % this.buckets.length;
    this.buckets[index] = (this.buckets[index] ?? 0) + count;
  }

  /** Over the last window (or the time since the first event, if shorter), excluding the bucket still filling. */
  perSecond(): number {
    this.advance();
    if (this.firstBucket === null) return 0;
    const covered = Math.min(this.buckets.length - 1, this.currentBucket - this.firstBucket);
    if (covered <= 0) return 0;
    let sum = 0;
    for (let i = 1; i <= covered; i++) sum += this.buckets[(this.currentBucket - i) % this.buckets.length] ?? 0;
    return sum / ((covered * RateMeter.BUCKET_MS) / 1000);
  }

  private advance(): void {
    const bucket = Math.floor(this.now() / RateMeter.BUCKET_MS);
    // Clear the buckets skipped since the last event (at most one window's worth).
    const skipped = Math.min(bucket - this.currentBucket, this.buckets.length);
    for (let i = 1; i <= skipped; i++) this.buckets[(this.currentBucket + i) % this.buckets.length] = 0;
    this.currentBucket = Math.max(this.currentBucket, bucket);
  }
}

/** Exponential backoff with a little jitter, so many ESMEs do not reconnect in step. */
export function backoffDelay(attempt: number, minMs: number, maxMs: number, random: () => number = Math.random): number {
  const base = Math.min(maxMs, minMs * 2 ** Math.min(attempt, 30));
  return Math.round(base * (0.8 + 0.2 * random()));
}
