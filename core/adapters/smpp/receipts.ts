/**
 * Delivery receipts (SMPP 3.4 Appendix B text and the receipted_message_id / message_state TLVs) turned into the
 * engine's final states. Pure: the routing to messages lives in receipt-router.ts.
 */
import { MessageState } from './protocol';

export type ReceiptState = 'delivered' | 'failed' | 'expired';

export interface DeliveryReceipt {
  messageId: string;
  /** A final state, or 'intermediate' (ENROUTE, ACCEPTD, SCHEDULED: wait for the final one), or 'unrecognized'. */
  outcome: ReceiptState | 'intermediate' | 'unrecognized';
  /** The stat word as the SMSC wrote it ('DELIVRD', 'UNDELIV'…), or the message_state name from the TLV. */
  stat: string;
  /** The err: field (network-specific error code), if any. */
  error: string | null;
}

export interface ReceiptTextFields {
  id?: string;
  sub?: string;
  dlvrd?: string;
  submitDate?: string;
  doneDate?: string;
  stat?: string;
  err?: string;
  text?: string;
}

const outcomeByStat: Record<string, DeliveryReceipt['outcome']> = {
  DELIVRD: 'delivered',
  EXPIRED: 'expired',
  DELETED: 'failed',
  UNDELIV: 'failed',
  REJECTD: 'failed',
  UNKNOWN: 'failed',
  SKIPPED: 'failed',
  ENROUTE: 'intermediate',
  ACCEPTD: 'intermediate',
  SCHEDULED: 'intermediate',
};

const statByMessageState: Record<number, string> = {
  [MessageState.SCHEDULED]: 'SCHEDULED',
  [MessageState.ENROUTE]: 'ENROUTE',
  [MessageState.DELIVERED]: 'DELIVRD',
  [MessageState.EXPIRED]: 'EXPIRED',
  [MessageState.DELETED]: 'DELETED',
  [MessageState.UNDELIVERABLE]: 'UNDELIV',
  [MessageState.ACCEPTED]: 'ACCEPTD',
  [MessageState.UNKNOWN]: 'UNKNOWN',
  [MessageState.REJECTED]: 'REJECTD',
  [MessageState.SKIPPED]: 'SKIPPED',
};

// Keys before 'text:'; longer names first so 'sub' does not match the start of 'submit date'.
const FIELD = /\b(submit[ _]date|done[ _]date|dlvrd|stat|sub|err|id):(\S*)/gi;

/** Reads `id:… sub:… dlvrd:… submit date:… done date:… stat:… err:… text:…`; keys are case-insensitive. */
export function parseReceiptText(text: string): ReceiptTextFields {
  const textAt = text.search(/\btext:/i);
  const head = textAt === -1 ? text : text.slice(0, textAt);
  const fields: ReceiptTextFields = {};
  for (const [, key = '', value = ''] of head.matchAll(FIELD)) {
    const name = key.toLowerCase().replace(/[ _]date$/, 'Date') as keyof ReceiptTextFields;
    fields[name] ??= value;
  }
  if (textAt !== -1) fields.text = text.slice(textAt + 'text:'.length);
  return fields;
}

/**
 * The receipt in a deliver_sm: the TLVs win over the text, as SMPP 3.4 makes them the authoritative form.
 * Null when neither gives a message id.
 */
export function parseDeliveryReceipt(receipt: {
  text: string;
  receiptedMessageId?: string | undefined;
  messageState?: number | undefined;
}): DeliveryReceipt | null {
  const fields = parseReceiptText(receipt.text);
  const messageId = receipt.receiptedMessageId || fields.id;
  if (!messageId) return null;
  const stat =
    (receipt.messageState !== undefined ? statByMessageState[receipt.messageState] : undefined) ?? fields.stat?.toUpperCase() ?? '';
  return { messageId, outcome: outcomeByStat[stat] ?? 'unrecognized', stat, error: fields.err ?? null };
}

/**
 * Other spellings of the same id: many SMSCs answer submit_sm_resp in hex but write the receipt's id: in decimal
 * (or the reverse), some with leading zeros.
 */
export function messageIdVariants(id: string): string[] {
  const variants = new Set<string>([id, id.replace(/^0+(?=.)/, '')]);
  if (/^\d{1,20}$/.test(id)) {
    const hex = BigInt(id).toString(16);
    variants.add(hex).add(hex.toUpperCase());
  }
  if (/^[0-9a-f]{1,16}$/i.test(id)) variants.add(BigInt(`0x${id}`).toString(10));
  variants.delete(id);
  return [...variants];
}
