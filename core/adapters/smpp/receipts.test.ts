/** Delivery receipt parsing: the Appendix B text, the TLVs, the stat mapping and id spellings. */
import { describe, expect, it } from 'vitest';
import { messageIdVariants, parseDeliveryReceipt, parseReceiptText } from './receipts';

const TEXT = 'id:1A2B3C4D sub:001 dlvrd:001 submit date:2607011200 done date:2607011201 stat:DELIVRD err:000 text:Missed call: id:x stat:y';

describe('parseReceiptText', () => {
  it('reads every field, and keeps text: whole even when it looks like fields', () => {
    expect(parseReceiptText(TEXT)).toEqual({
      id: '1A2B3C4D',
      sub: '001',
      dlvrd: '001',
      submitDate: '2607011200',
      doneDate: '2607011201',
      stat: 'DELIVRD',
      err: '000',
      text: 'Missed call: id:x stat:y',
    });
  });

  it('accepts other capitalisations and underscores', () => {
    expect(parseReceiptText('Id:77 Sub:001 Dlvrd:000 Submit_date:2607011200 Done_date:2607011200 Stat:UNDELIV Err:012')).toMatchObject({
      id: '77',
      stat: 'UNDELIV',
      err: '012',
      submitDate: '2607011200',
    });
  });
});

describe('parseDeliveryReceipt', () => {
  it('maps the stat words to the engine states, intermediate ones to no action', () => {
    const outcome = (stat: string) => parseDeliveryReceipt({ text: `id:1 stat:${stat} err:000` })?.outcome;
    expect(outcome('DELIVRD')).toBe('delivered');
    expect(outcome('EXPIRED')).toBe('expired');
    for (const stat of ['UNDELIV', 'REJECTD', 'DELETED', 'UNKNOWN']) expect(outcome(stat)).toBe('failed');
    for (const stat of ['ENROUTE', 'ACCEPTD']) expect(outcome(stat)).toBe('intermediate');
    expect(outcome('WEIRD')).toBe('unrecognized');
  });

  it('carries the error code for a failure', () => {
    expect(parseDeliveryReceipt({ text: 'id:9 sub:001 dlvrd:000 stat:UNDELIV err:034 text:' })).toEqual({
      messageId: '9',
      outcome: 'failed',
      stat: 'UNDELIV',
      error: '034',
    });
  });

  it('prefers the receipted_message_id and message_state TLVs over the text', () => {
    expect(parseDeliveryReceipt({ text: 'id:123 stat:DELIVRD', receiptedMessageId: '7B', messageState: 5 })).toMatchObject({
      messageId: '7B',
      outcome: 'failed',
      stat: 'UNDELIV',
    });
    expect(parseDeliveryReceipt({ text: '', receiptedMessageId: 'AB12', messageState: 3 })).toMatchObject({
      messageId: 'AB12',
      outcome: 'expired',
    });
    expect(parseDeliveryReceipt({ text: '', receiptedMessageId: 'AB12', messageState: 1 })?.outcome).toBe('intermediate');
  });

  it('gives null when nothing names the message', () => {
    expect(parseDeliveryReceipt({ text: 'stat:DELIVRD' })).toBeNull();
    expect(parseDeliveryReceipt({ text: 'hello' })).toBeNull();
  });
});

describe('messageIdVariants', () => {
  it('offers the decimal form of a hex id, the hex forms of a decimal id, and the id without leading zeros', () => {
    expect(messageIdVariants('1000000A')).toContain('268435466');
    expect(messageIdVariants('268435466')).toEqual(expect.arrayContaining(['1000000a', '1000000A']));
    expect(messageIdVariants('00042')).toContain('42');
    expect(messageIdVariants('abc-123')).toEqual([]);
  });
});
