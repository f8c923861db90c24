/**
 * A cycle's usage records and their stored lines, loaded once into columns
 * (typed arrays) for the jobs that go through every subscriber: the close,
 * the backlog rating, the rerate and the what-if.
 *
 * Why: read by subscriber, each record costs SQLite a B-tree search in the
 * records and another in the lines (about 2.7 µs in sql.js); read in id order
 * both tables stream (about 1 µs together). The columns take about 60 bytes
 * a record, outside the JavaScript heap; records are grouped by subscriber in
 * memory and turned into objects one subscriber at a time.
 */
import type { Kysely } from 'kysely';
import type { BillCycle, CycleConfig, UsageCharge } from '../../domain/billing';
import type { Schema } from '../../store/schema';
import { scanRows } from '../../store/sqljs-driver';
import { dayOf } from './calendar';
import type { RecordRow, UsageRow } from './lines';
import { rowsPerStatement } from './bulk';
import { ChargeRollup } from './rollups';

const page = 20_000;

/** A charge line per record: plan index + 1 (0 = none), version, basis and capped indexes, free units, gross, amount. */
class LineColumns {
  readonly plan: Uint16Array;
  readonly version: Int32Array;
  readonly basis: Uint16Array;
  readonly capped: Uint16Array;
  readonly free: Int32Array;
  readonly gross: Float64Array;
  readonly amount: Float64Array;

  constructor(capacity: number) {
    this.plan = new Uint16Array(capacity);
    this.version = new Int32Array(capacity);
    this.basis = new Uint16Array(capacity);
    this.capped = new Uint16Array(capacity);
    this.free = new Int32Array(capacity);
    this.gross = new Float64Array(capacity);
    this.amount = new Float64Array(capacity);
  }
}

/** The records, one typed array per field, sized once for the id range (ids are dense), with their stored lines. */
class Columns extends LineColumns {
  size = 0;
  readonly id: Float64Array;
  readonly at: Float64Array;
  readonly party: Int32Array;
  readonly kind: Uint16Array;
  readonly chargeable: Uint8Array;
  readonly quantity: Int32Array;

  constructor(capacity: number) {
    super(capacity);
    this.id = new Float64Array(capacity);
    this.at = new Float64Array(capacity);
    this.party = new Int32Array(capacity);
    this.kind = new Uint16Array(capacity);
    this.chargeable = new Uint8Array(capacity);
    this.quantity = new Int32Array(capacity);
  }
}

/** Lines rated anew, kept beside the stored ones until written back in id order. */
class Staged extends LineColumns {
  readonly dirty: Uint8Array;
  count = 0;

  constructor(capacity: number) {
    super(capacity);
    this.dirty = new Uint8Array(capacity);
  }
}

/** Strings stored once, referred to by index. */
class Interned {
  readonly values: string[] = [];
  private readonly index = new Map<string, number>();
  // Kinds, plans and bases repeat row after row: comparing with the last one is cheaper than hashing.
  private last: string | null = null;
  private lastIndex = -1;

  find(value: string): number {
    if (value === this.last) return this.lastIndex;
    const i = this.index.get(value);
    if (i === undefined) return -1;
    this.last = value;
    this.lastIndex = i;
    return i;
  }

  of(value: string): number {
    if (value === this.last) return this.lastIndex;
    let i = this.index.get(value);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(value);
      this.index.set(value, i);
    }
    this.last = value;
    this.lastIndex = i;
    return i;
  }
}

/**
 * Integer keys → index, open addressing in typed arrays: numbers are the parties' E.164 digits (up to 15, exact
 * in a double). A Map keyed by the party strings cost 0.7 µs a record, most of loading a month: every row brings
 * a new string to hash, and a million of them do not stay in cache.
 */
class NumberIndex {
  private keys = new Float64Array(1 << 16);
  private slots = new Int32Array(1 << 16);
  private size = 0;

  private static hash(key: number): number {
    const h = Math.imul((key >>> 0) ^ Math.imul((key / 4294967296) >>> 0, 0x9e3779b1), 0x85ebca6b);
    return h ^ (h >>> 15);
  }

  /** The index stored for key, or -1. */
  get(key: number): number {
    const mask = this.slots.length - 1;
    for (let s = NumberIndex.hash(key) & mask; ; s = (s + 1) & mask) {
      const slot = this.slots[s]!;
      if (slot === 0) return -1;
      if (this.keys[s] === key) return slot - 1;
    }
  }

  /** Stores index for a key not yet present. */
  add(key: number, index: number): void {
    if ((this.size + 1) * 2 > this.slots.length) this.grow();
    const mask = this.slots.length - 1;
    let s = NumberIndex.hash(key) & mask;
    while (this.slots[s] !== 0) s = (s + 1) & mask;
    this.keys[s] = key;
    this.slots[s] = index + 1;
    this.size++;
  }

  private grow(): void {
    const { keys, slots } = this;
    this.keys = new Float64Array(slots.length * 2);
    this.slots = new Int32Array(slots.length * 2);
    this.size = 0;
    for (let s = 0; s < slots.length; s++) if (slots[s]) this.add(keys[s]!, slots[s]! - 1);
  }
}

/** Parties: interned by number where the party is E.164 digits (as stored), by string otherwise. */
class Parties extends Interned {
  private readonly numbers = new NumberIndex();

  /** The party's index; `of` for any string, a faster path for '+' and 1 to 15 digits without a leading zero. */
  ofParty(party: string): number {
    const digits = e164Digits(party);
    if (digits < 0) return this.of(party);
    let i = this.numbers.get(digits);
    if (i < 0) {
      i = this.of(party);
      this.numbers.add(digits, i);
    }
    return i;
  }
}

/** '+' and 1 to 15 digits, the first not 0, as a number (exact in a double); otherwise -1. */
function e164Digits(party: string): number {
  const length = party.length;
  if (length < 2 || length > 16 || party.charCodeAt(0) !== 43 || party.charCodeAt(1) === 48) return -1;
  let value = 0;
  for (let k = 1; k < length; k++) {
    const digit = party.charCodeAt(k) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

export class CycleImage {
  private columns = new Columns(0);
  private readonly partyNames = new Parties();
  private readonly kinds = new Interned();
  private readonly plans = new Interned();
  private readonly bases = new Interned();
  private readonly caps = new Interned();
  /** Per party index: its records' positions, in record order (at, then id). */
  private starts = new Int32Array(0);
  private order = new Int32Array(0);
  private sortedParties: string[] = [];
  private staged: Staged | null = null;

  private constructor(readonly cycle: BillCycle) {}

  /** Whether the stored lines were read (see load's `lines`). */
  private withLines = false;

  /**
   * The cycle's records with ids up to maxId, and their stored lines unless `lines` is false (the close reads
   * them only when the rating job cannot vouch for them: loadLines()).
   */
  static async load(
    db: Kysely<Schema>,
    cycle: BillCycle,
    maxId = Number.MAX_SAFE_INTEGER,
    { lines = true }: { lines?: boolean } = {},
  ): Promise<CycleImage> {
    const image = new CycleImage(cycle);
    const bounds = await db
      .selectFrom('usage_records')
      .select((eb) => [eb.fn.min('id').as('first'), eb.fn.max('id').as('last')])
      .where('at', '>=', cycle.start)
      .where('at', '<', cycle.end)
      .where('id', '<=', maxId)
      .executeTakeFirst();
    if (bounds?.first == null) {
      image.withLines = true;
      return image.index();
    }
    const first = Number(bounds.first);
    const last = Number(bounds.last);
    const c = (image.columns = new Columns(last - first + 1));
    const { partyNames, kinds } = image;
    let after = first - 1;
    while (after < last) {
      const query = db
        .selectFrom('usage_records')
        .select(['id', 'party', 'kind', 'chargeable', 'quantity', 'at'])
        .where('id', '>', after)
        .where('id', '<=', last)
        .orderBy('id')
        .limit(page);
      let read = 0;
      await scanRows(db, query.compile(), (row) => {
        read++;
        const [id, party, kind, chargeable, quantity, at] = row as [number, string, string, number, number, number];
        after = id;
        // Records of other cycles inside the id range (late ones) are not this cycle's.
        if (at < cycle.start || at >= cycle.end) return;
        const i = c.size++;
        c.id[i] = id;
        c.at[i] = at;
        c.party[i] = partyNames.ofParty(party);
        c.kind[i] = kinds.of(kind);
        c.chargeable[i] = chargeable;
        c.quantity[i] = quantity;
      });
      if (!read) break;
    }
    if (lines) await image.loadLines(db);
    return image.index();
  }

  /** Reads the stored lines of the records, merged by id (both in id order). */
  async loadLines(db: Kysely<Schema>): Promise<void> {
    if (this.withLines) return;
    this.withLines = true;
    const c = this.columns;
    if (!c.size) return;
    const last = c.id[c.size - 1]!;
    let position = 0;
    const { plans, bases, caps } = this;
    let after = c.id[0]! - 1;
    while (after < last) {
      const query = db
        .selectFrom('usage_charges')
        .select(['record_id', 'plan_id', 'version', 'basis', 'capped', 'free_units', 'gross', 'amount'])
        .where('record_id', '>', after)
        .where('record_id', '<=', last)
        .orderBy('record_id')
        .limit(page);
      let read = 0;
      await scanRows(db, query.compile(), (row) => {
        read++;
        const [recordId, plan, version, basis, capped, free, gross, amount] = row as [
          number,
          string,
          number,
          string,
          string,
          number,
          number,
          number,
        ];
        after = recordId;
        while (position < c.size && c.id[position]! < recordId) position++;
        if (position === c.size || c.id[position] !== recordId) return;
        c.plan[position] = plans.of(plan) + 1;
        c.version[position] = version;
        c.basis[position] = bases.of(basis);
        c.capped[position] = caps.of(capped);
        c.free[position] = free;
        c.gross[position] = gross;
        c.amount[position] = amount;
      });
      if (!read) break;
    }
  }

  get hasLines(): boolean {
    return this.withLines;
  }

  /** Groups the records by party (a counting sort: within a party they stay in id order, then time order is checked). */
  private index(): this {
    const c = this.columns;
    const parties = this.partyNames.values.length;
    const counts = new Int32Array(parties + 1);
    for (let i = 0; i < c.size; i++) counts[c.party[i]! + 1]! += 1;
    for (let p = 0; p < parties; p++) counts[p + 1]! += counts[p]!;
    this.starts = counts.slice();
    const fill = counts.slice(0, parties);
    this.order = new Int32Array(c.size);
    for (let i = 0; i < c.size; i++) this.order[fill[c.party[i]!]!++] = i;
    for (let p = 0; p < parties; p++) {
      const from = this.starts[p]!;
      const to = this.starts[p + 1]!;
      let sorted = true;
      for (let k = from + 1; k < to && sorted; k++) sorted = c.at[this.order[k - 1]!]! <= c.at[this.order[k]!]!;
      if (!sorted) {
        const slice = Array.from(this.order.subarray(from, to)).sort((a, b) => c.at[a]! - c.at[b]! || c.id[a]! - c.id[b]!);
        this.order.set(slice, from);
      }
    }
    // Code-unit order, which is SQLite's for text: scans by number can walk the image and the tables together.
    // (The default sort compares strings by code units too, without a call into JavaScript per comparison.)
    this.sortedParties = [...this.partyNames.values].sort();
    return this;
  }

  get records(): number {
    return this.columns.size;
  }

  /** Every party with records, in number order. */
  parties(): readonly string[] {
    return this.sortedParties;
  }

  /** The parties with records in (after, last] (last omitted: all after), in order. */
  partiesIn(after: string, last?: string): string[] {
    const list = this.sortedParties;
    let low = 0;
    let high = list.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (list[middle]! <= after) low = middle + 1;
      else high = middle;
    }
    const out: string[] = [];
    for (let i = low; i < list.length && (last === undefined || list[i]! <= last); i++) out.push(list[i]!);
    return out;
  }

  /** How many records a party has in the cycle. */
  count(party: string): number {
    const p = this.partyIndex(party);
    return p < 0 ? 0 : this.starts[p + 1]! - this.starts[p]!;
  }

  /** How many of a party's records in the cycle have ids after `afterId`. */
  countAfter(party: string, afterId: number): number {
    const p = this.partyIndex(party);
    if (p < 0) return 0;
    // Ids are loaded in order: after none of them (a first run), all count.
    if (afterId < this.columns.id[0]!) return this.starts[p + 1]! - this.starts[p]!;
    let n = 0;
    for (let k = this.starts[p]!; k < this.starts[p + 1]!; k++) if (this.columns.id[this.order[k]!]! > afterId) n++;
    return n;
  }

  /** A party's last record in record order (at, then id), or null. */
  lastOf(party: string): { at: number; id: number } | null {
    const p = this.partyIndex(party);
    if (p < 0 || this.starts[p + 1] === this.starts[p]) return null;
    const i = this.order[this.starts[p + 1]! - 1]!;
    return { at: this.columns.at[i]!, id: this.columns.id[i]! };
  }

  private needLines(): void {
    if (!this.withLines) throw new Error('The stored lines of this cycle image were not read');
  }

  /** A party's records alone (what rating needs), in record order. */
  usage(party: string): UsageRow[] {
    const p = this.partyIndex(party);
    if (p < 0) return [];
    const c = this.columns;
    const rows: UsageRow[] = [];
    for (let k = this.starts[p]!; k < this.starts[p + 1]!; k++) {
      const i = this.order[k]!;
      rows.push({
        id: c.id[i]!,
        party,
        kind: this.kinds.values[c.kind[i]!]!,
        chargeable: c.chargeable[i]!,
        quantity: c.quantity[i]!,
        at: c.at[i]!,
      });
    }
    return rows;
  }

  /** A party's records with their stored lines, in record order (as recordsWithCharges returns them). */
  rows(party: string): RecordRow[] {
    this.needLines();
    const p = this.partyIndex(party);
    if (p < 0) return [];
    const c = this.columns;
    const rows: RecordRow[] = [];
    for (let k = this.starts[p]!; k < this.starts[p + 1]!; k++) {
      const i = this.order[k]!;
      const rated = c.plan[i]! > 0;
      rows.push({
        id: c.id[i]!,
        party,
        kind: this.kinds.values[c.kind[i]!]!,
        chargeable: c.chargeable[i]!,
        quantity: c.quantity[i]!,
        at: c.at[i]!,
        c_plan: rated ? this.plans.values[c.plan[i]! - 1]! : null,
        c_version: rated ? c.version[i]! : null,
        c_basis: rated ? this.bases.values[c.basis[i]!]! : null,
        c_capped: rated ? this.caps.values[c.capped[i]!]! : null,
        c_free: rated ? c.free[i]! : null,
        c_gross: rated ? c.gross[i]! : null,
        c_amount: rated ? c.amount[i]! : null,
      });
    }
    return rows;
  }

  /**
   * Calls onDiffering for each of a party's fresh lines (a rating of usage(party), in the same order) that
   * differs from the stored one, with the record's position. (A loop, not a generator: it runs per record.)
   */
  private differing(party: string, charges: readonly UsageCharge[], onDiffering: (i: number, charge: UsageCharge) => void): void {
    this.needLines();
    const p = this.partyIndex(party);
    const c = this.columns;
    const from = this.starts[p]!;
    for (let k = 0; k < charges.length; k++) {
      const charge = charges[k]!;
      const i = this.order[from + k]!;
      if (c.id[i] !== charge.recordId) throw new Error(`rating order differs from the stored order at record ${c.id[i]}`);
      if (c.plan[i] === 0) {
        onDiffering(i, charge);
        continue;
      }
      const same =
        c.plan[i] === this.plans.find(charge.planId) + 1 &&
        c.version[i] === charge.version &&
        c.basis[i] === this.bases.find(charge.basis) &&
        c.capped[i] === this.caps.find(charge.capped) &&
        c.free[i] === charge.freeUnits &&
        c.gross[i] === charge.gross &&
        c.amount[i] === charge.amount;
      if (!same) onDiffering(i, charge);
    }
  }

  /** A party's fresh lines that differ from the stored ones, with the rollups moved from the stored to the fresh. */
  changed(party: string, charges: readonly UsageCharge[], rollup: ChargeRollup, config: CycleConfig): UsageCharge[] {
    const c = this.columns;
    const out: UsageCharge[] = [];
    this.differing(party, charges, (i, charge) => {
      const day = dayOf(charge.at, config, this.cycle);
      if (c.plan[i]! > 0)
        rollup.add(day, this.plans.values[c.plan[i]! - 1]!, charge.kind, -1, -charge.quantity, -c.gross[i]!, -c.amount[i]!);
      rollup.add(day, charge.planId, charge.kind, 1, charge.quantity, charge.gross, charge.amount);
      out.push(charge);
    });
    return out;
  }

  /** Keeps a party's fresh lines where they differ from the stored ones, to be written by stagedBatches(). */
  stage(party: string, charges: readonly UsageCharge[]): void {
    const staged = (this.staged ??= new Staged(this.columns.id.length));
    const { plans, bases, caps } = this;
    this.differing(party, charges, (i, charge) => {
      if (!staged.dirty[i]) staged.count++;
      staged.dirty[i] = 1;
      staged.plan[i] = plans.of(charge.planId) + 1;
      staged.version[i] = charge.version;
      staged.basis[i] = bases.of(charge.basis);
      staged.capped[i] = caps.of(charge.capped);
      staged.free[i] = charge.freeUnits;
      staged.gross[i] = charge.gross;
      staged.amount[i] = charge.amount;
    });
  }

  /** Lines staged so far. */
  get stagedLines(): number {
    return this.staged?.count ?? 0;
  }

  /**
   * The staged lines in id order (so the writes append to the lines table instead of landing all over it), in
   * batches of `size` lines with the rollup moves they make. A batch's lines are given as their values in the lines
   * table's column order, one array per INSERT statement: one array of a whole batch grew by copying itself.
   */
  *stagedBatches(size: number, config: CycleConfig): Generator<{ statements: (string | number)[][]; rollup: ChargeRollup }> {
    const staged = this.staged;
    if (!staged) return;
    const c = this.columns;
    let statements: (string | number)[][] = [];
    let values: (string | number)[] = [];
    let lines = 0;
    let rollup = new ChargeRollup();
    for (let i = 0; i < c.size; i++) {
      if (!staged.dirty[i]) continue;
      const day = dayOf(c.at[i]!, config, this.cycle);
      const kind = this.kinds.values[c.kind[i]!]!;
      if (c.plan[i]! > 0) rollup.add(day, this.plans.values[c.plan[i]! - 1]!, kind, -1, -c.quantity[i]!, -c.gross[i]!, -c.amount[i]!);
      const plan = this.plans.values[staged.plan[i]! - 1]!;
      rollup.add(day, plan, kind, 1, c.quantity[i]!, staged.gross[i]!, staged.amount[i]!);
      if (lines % rowsPerStatement === 0) statements.push((values = []));
      values.push(
        c.id[i]!,
        this.cycle.key,
        plan,
        staged.version[i]!,
        this.bases.values[staged.basis[i]!]!,
        this.caps.values[staged.capped[i]!]!,
        staged.free[i]!,
        staged.gross[i]!,
        staged.amount[i]!,
      );
      if (++lines === size) {
        yield { statements, rollup };
        statements = [];
        lines = 0;
        rollup = new ChargeRollup();
      }
    }
    if (lines) yield { statements, rollup };
  }

  private partyIndex(party: string): number {
    return this.partyNames.find(party);
  }
}
