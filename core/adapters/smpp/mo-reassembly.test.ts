/** Concatenated MO reassembly: in order, out of order, duplicates, the timeout, and impossible sequences. */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { MalformedMessageError } from './encoding';
import { MoReassembler, type AssembledMo } from './mo-reassembly';

const part = (sequence: number, total: number, text: string, extra: { reference?: number; from?: string; at?: number } = {}) => ({
  from: extra.from ?? '+8613800138000',
  to: '10658888',
  concatenation: { reference: extra.reference ?? 7, total, sequence },
  octets: Buffer.from(text, 'latin1'),
  dataCoding: 3,
  at: extra.at ?? sequence,
});

const text = (message: AssembledMo | null) => (message ? Buffer.from(message.octets).toString('latin1') : null);

describe('MoReassembler', () => {
  let incomplete: AssembledMo[];
  let reassembler: MoReassembler;
  beforeEach(() => {
    vi.useFakeTimers();
    incomplete = [];
    reassembler = new MoReassembler(30_000, (message) => incomplete.push(message));
  });
  afterEach(() => {
    reassembler.dispose();
    vi.useRealTimers();
  });

  it('joins parts that arrive in order', () => {
    expect(reassembler.add(part(1, 3, 'one '))).toBeNull();
    expect(reassembler.add(part(2, 3, 'two '))).toBeNull();
    const message = reassembler.add(part(3, 3, 'three'));
    expect(text(message)).toBe('one two three');
    expect(message).toMatchObject({ from: '+8613800138000', to: '10658888', dataCoding: 3, at: 1, missing: [] });
    expect(reassembler.pendingSets).toBe(0);
  });

  it('joins parts that arrive out of order, ignores a repeated part, and keeps sets with other references apart', () => {
    expect(reassembler.add(part(3, 3, 'C'))).toBeNull();
    expect(reassembler.add(part(1, 2, 'x', { reference: 8 }))).toBeNull();
    expect(reassembler.add(part(1, 3, 'A'))).toBeNull();
    expect(reassembler.add(part(1, 3, 'again'))).toBeNull();
    expect(text(reassembler.add(part(2, 3, 'B')))).toBe('ABC');
    expect(text(reassembler.add(part(2, 2, 'y', { reference: 8 })))).toBe('xy');
  });

  it('keeps the same reference from two senders apart', () => {
    reassembler.add(part(1, 2, 'a', { from: '+8613900139000' }));
    reassembler.add(part(1, 2, 'b', { from: '+8613700137000' }));
    expect(text(reassembler.add(part(2, 2, '2', { from: '+8613700137000' })))).toBe('b2');
    expect(reassembler.pendingSets).toBe(1);
  });

  it('passes an incomplete set on after the timeout, naming the missing parts', () => {
    reassembler.add(part(1, 3, 'first '));
    reassembler.add(part(3, 3, 'third'));
    vi.advanceTimersByTime(29_999);
    expect(incomplete).toHaveLength(0);
    vi.advanceTimersByTime(1);
    expect(incomplete).toHaveLength(1);
    expect(text(incomplete[0]!)).toBe('first third');
    expect(incomplete[0]!.missing).toEqual([2]);
    expect(reassembler.pendingSets).toBe(0);
  });

  it('treats a one-part set as complete and refuses impossible sequence numbers', () => {
    expect(text(reassembler.add(part(1, 1, 'solo')))).toBe('solo');
    expect(() => reassembler.add(part(0, 2, 'x'))).toThrow(MalformedMessageError);
    expect(() => reassembler.add(part(3, 2, 'x'))).toThrow(/part 3 of 2/);
  });
});
