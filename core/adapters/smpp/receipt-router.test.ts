/** The receipt router's timing cases that the simulator cannot make happen on demand. */
import { afterEach, describe, expect, it } from 'vitest';
import { memoryLogger } from '../../logger';
import { ReceiptRouter, type RoutedReceipt } from './receipt-router';
import { parseDeliveryReceipt } from './receipts';

const routers: ReceiptRouter[] = [];
afterEach(() => routers.splice(0).forEach((r) => r.dispose()));

/** `engineKnows`: whether the engine has the id stored yet (it writes it just after the submit returns). */
function setUp(engineKnows: (smscId: string) => boolean) {
  const delivered: string[] = [];
  const unknown: string[] = [];
  const router = new ReceiptRouter({
    deliver: async (smscId) => {
      if (!engineKnows(smscId)) return false;
      delivered.push(smscId);
      return true;
    },
    submitsInFlight: () => false,
    onOutcome: () => undefined,
    onUnknown: (receipt) => unknown.push(receipt.messageId),
    logger: memoryLogger(),
    now: () => 0,
    holdMs: 1_000,
    trackingMs: 60_000,
    retryDelaysMs: [5],
  });
  routers.push(router);
  return { router, delivered, unknown };
}

const receipt = (id: string): RoutedReceipt => ({ ...parseDeliveryReceipt({ text: `id:${id} stat:DELIVRD err:000` })!, seq: 7 });
const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('receipt router', () => {
  it('places a receipt read in the same chunk as its submit_sm_resp, before the submit registered the id', async () => {
    let stored = false;
    const { router, delivered, unknown } = setUp(() => stored);
    // The response resolved the submit (nothing is in flight any more); its continuation registers the id later,
    // and the engine stores the id a little after that: the receipt is retried for a message submitted here.
    router.receive(receipt('1A2B'));
    queueMicrotask(() => router.accepted('1A2B', '1A2B', 1));
    await settle();
    stored = true;
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(delivered).toEqual(['1A2B']);
    expect(unknown).toEqual([]);
  });

  it('still calls a receipt nobody submitted here unknown, after that one look more', async () => {
    const { router, delivered, unknown } = setUp(() => false);
    router.receive(receipt('FFFF'));
    expect(unknown).toEqual([]);
    await settle();
    await settle();
    expect(unknown).toEqual(['FFFF']);
    expect(delivered).toEqual([]);
  });
});
