/**
 * The embedded default SMSC: every message lands in a virtual handset that
 * the Lab shows and the network API lists. Deduplicated by SMS id, so a
 * resubmission after a crash does not show the message twice.
 */
import type { VirtualSmsEvent } from '../../api/events';
import type { EngineDeps } from './deps';
import type { OutboundSms, SmsConnector, SubmitResult } from './sms-queue';

/** A message as a virtual handset received it (the network API's and the Lab's view). */
export type VirtualMessage = VirtualSmsEvent;

export class VirtualSmsc implements SmsConnector {
  readonly name = 'virtual';

  constructor(
    private readonly deps: EngineDeps,
    private readonly onReceipt: (smscId: string) => void,
  ) {}

  async submit(message: OutboundSms): Promise<SubmitResult> {
    const at = this.deps.clock.now();
    const inboxId = await this.deps.store.write(async (trx) => {
      const existing = await trx.selectFrom('virtual_inbox').select('id').where('sms_id', '=', message.id).executeTakeFirst();
      if (existing) return existing.id;
      const row = {
        sms_id: message.id,
        sender: message.sender,
        recipient: message.recipient,
        text: message.text,
        encoding: message.encoding,
        parts: message.parts,
        at,
      };
      const result = await trx.insertInto('virtual_inbox').values(row).executeTakeFirstOrThrow();
      return Number(result.insertId);
    });
    const smscId = `virtual-${inboxId}`;
    this.deps.bus.publish('virtual-smsc/delivered', {
      id: inboxId,
      from: message.sender,
      to: message.recipient,
      text: message.text,
      encoding: message.encoding,
      parts: message.parts,
      at,
    });
    // A handset acknowledges at once; the receipt follows the submit response, as on a real link.
    setImmediate(() => this.onReceipt(smscId));
    return { smscId };
  }
}

export async function listVirtualMessages(
  deps: EngineDeps,
  filter: { to?: string; since?: number; limit?: number },
): Promise<VirtualMessage[]> {
  let query = deps.store.db.selectFrom('virtual_inbox').selectAll();
  if (filter.to) query = query.where('recipient', '=', filter.to);
  if (filter.since !== undefined) query = query.where('at', '>=', filter.since);
  const rows = await query
    .orderBy('id')
    .limit(filter.limit ?? 500)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    from: r.sender,
    to: r.recipient,
    text: r.text,
    encoding: r.encoding,
    parts: r.parts,
    at: Number(r.at),
  }));
}
