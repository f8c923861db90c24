/**
 * Which SIP address-of-record watches which phone number. A subscriber '+4915112345678' is
 * `sip:4915112345678@<domain>` ('digits', the default: what the test network's phones register)
 * or `sip:+4915112345678@<domain>` ('plus', common in IMS). Shared by the watcher and Settings → SIP.
 */
export type UserPartFormat = 'digits' | 'plus';

const E164 = /^\+[1-9]\d{7,14}$/;

/** '+4915112345678' or '4915112345678' to '+4915112345678'; undefined when it is not an E.164 number. */
export function toE164OrUndefined(input: string): string | undefined {
  const text = input.trim();
  const e164 = text.startsWith('+') ? text : `+${text}`;
  return E164.test(e164) ? e164 : undefined;
}

export function sipUserFor(msisdn: string, format: UserPartFormat): string {
  return format === 'plus' ? msisdn : msisdn.slice(1);
}

export function aorFor(msisdn: string, domain: string, format: UserPartFormat): string {
  return `sip:${sipUserFor(msisdn, format)}@${domain}`;
}
