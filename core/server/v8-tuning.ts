/**
 * V8 settings for the process that runs the core, set at run time: a packaged
 * Electron app cannot give its own main process V8 flags (electron#22705).
 *
 * Allocation-site pretenuring off. V8 allocates a literal's objects straight
 * in the old generation once enough of them outlived a scavenge. The rating,
 * close and rerate make short-lived objects per usage record in bursts; once
 * their literals are pretenured, each record's line and every object a
 * pretenured array points to is promoted and waits for a full collection.
 * Measured in docs/benchmarks.md (Billing, where the time goes): the rating
 * and the close take 12–20 % less time without it, and the engine's ingest
 * latency is unchanged.
 */
import { setFlagsFromString } from 'node:v8';

let applied = false;

export function tuneV8ForCore(): void {
  if (applied) return;
  applied = true;
  setFlagsFromString('--no-allocation-site-pretenuring');
}
