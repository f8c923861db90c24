/**
 * Concatenated mobile-originated SMS put back together. Parts are keyed by sender, recipient, reference and total
 * (from a UDH with an 8- or 16-bit reference, or the sar_* TLVs), may arrive in any order, and a set still
 * incomplete after the timeout is handed on with what arrived, marked incomplete.
 */
import { MalformedMessageError, type Concatenation } from './encoding';

export interface MoPart {
  from: string;
  to: string;
  concatenation: Concatenation;
  /** The part's text octets, without the UDH. */
  octets: Uint8Array;
  dataCoding: number;
  at: number;
}

export interface AssembledMo {
  from: string;
  to: string;
  /** The parts' octets in order (the missing ones left out); decode with the first part's data_coding. */
  octets: Uint8Array;
  dataCoding: number;
  /** When the first part arrived. */
  at: number;
  /** 1-based sequence numbers that never arrived; empty when complete. */
  missing: number[];
}

interface PendingSet {
  parts: Map<number, MoPart>;
  first: MoPart;
  timer: NodeJS.Timeout;
}

export class MoReassembler {
  private readonly pending = new Map<string, PendingSet>();

  constructor(
    private readonly timeoutMs: number,
    private readonly onIncomplete: (message: AssembledMo) => void,
  ) {}

  get pendingSets(): number {
    return this.pending.size;
  }

  /** The whole message once its last part arrives, else null. Throws MalformedMessageError for an impossible sequence. */
  add(part: MoPart): AssembledMo | null {
    const { reference, total, sequence } = part.concatenation;
    if (total < 1 || sequence < 1 || sequence > total) {
      throw new MalformedMessageError(`concatenated part ${sequence} of ${total} (reference ${reference}) is out of range`);
    }
    if (total === 1) return assemble(part, new Map([[1, part]]));
    const key = JSON.stringify([part.from, part.to, reference, total]);
    let set = this.pending.get(key);
    if (!set) {
      const timer = setTimeout(() => this.expire(key), this.timeoutMs).unref();
      set = { parts: new Map(), first: part, timer };
      this.pending.set(key, set);
    }
    // A part delivered twice (the SMSC retrying after a lost deliver_sm_resp) keeps its first copy.
    if (!set.parts.has(sequence)) set.parts.set(sequence, part);
    if (set.parts.size < total) return null;
    clearTimeout(set.timer);
    this.pending.delete(key);
    return assemble(set.first, set.parts);
  }

  dispose(): void {
    for (const set of this.pending.values()) clearTimeout(set.timer);
    this.pending.clear();
  }

  private expire(key: string): void {
    const set = this.pending.get(key);
    if (!set) return;
    this.pending.delete(key);
    this.onIncomplete(assemble(set.first, set.parts));
  }
}

function assemble(first: MoPart, parts: Map<number, MoPart>): AssembledMo {
  const total = first.concatenation.total;
  const present: Uint8Array[] = [];
  const missing: number[] = [];
  for (let sequence = 1; sequence <= total; sequence++) {
    const part = parts.get(sequence);
    if (part) present.push(part.octets);
    else missing.push(sequence);
  }
  const earliest = Math.min(...[...parts.values()].map((part) => part.at));
  return { from: first.from, to: first.to, octets: Buffer.concat(present), dataCoding: first.dataCoding, at: earliest, missing };
}
