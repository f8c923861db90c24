/** Steps of the seed's stories, spoken to the network API as a network element would. */
import type { Harness } from '../../server/testing/harness';

export const A = '+8613900139000';
export const B = '+8613800138000';
export const C = '+8613700137000';

/** A silent 8 kHz A-law WAV file of the given length, as a media server would upload. */
export function testWav(durationMs: number): Buffer {
  const bytes = (8000 * durationMs) / 1000;
  const wav = Buffer.alloc(44 + bytes);
  wav.write('RIFF', 0);
  wav.writeUInt32LE(36 + bytes, 4);
  wav.write('WAVEfmt ', 8);
  wav.writeUInt32LE(16, 16);
  wav.writeUInt16LE(6, 20); // A-law
  wav.writeUInt16LE(1, 22);
  wav.writeUInt32LE(8000, 24);
  wav.writeUInt32LE(8000, 28);
  wav.writeUInt16LE(1, 32);
  wav.writeUInt16LE(8, 34);
  wav.write('data', 36);
  wav.writeUInt32LE(bytes, 40);
  return wav;
}

export function steps(h: Harness) {
  return {
    async subscribe(msisdn: string, body: Record<string, unknown> = {}) {
      const res = await h.api('PUT', `/api/v1/subscribers/${encodeURIComponent(msisdn)}`, {
        services: { missedCallAlert: true, reachableAlert: false, voicemail: false },
        language: 'en',
        ...body,
      });
      if (res.status >= 300) throw new Error(`subscribe failed: ${JSON.stringify(res.body)}`);
      return res.body;
    },
    async call(caller: string | undefined, callee: string, extra: Record<string, unknown> = {}) {
      const res = await h.api('POST', '/api/v1/calls', { caller, callee, reason: 'power_off', at: h.clock.now(), ...extra });
      return res as {
        status: number;
        body: {
          session: string;
          action: { type: string; prompts: { id: string; language: string; text: string }[]; headers?: Record<string, string> };
        };
      };
    },
    async press(session: string, input: string | 'timeout' | 'hangup' | 'recorded') {
      const body = /^[0-9*#]+$/.test(input) ? { digits: input } : { event: input };
      return h.api('POST', `/api/v1/ivr/${session}/input`, body) as Promise<{
        status: number;
        body: { action: { type: string; prompts: { id: string; language: string; text: string }[]; headers?: Record<string, string> } };
      }>;
    },
    /** A whole call: the caller presses the keys in turn. */
    async callAndPress(caller: string | undefined, callee: string, ...inputs: string[]) {
      const { body } = await this.call(caller, callee);
      let last;
      for (const input of inputs) last = await this.press(body.session, input);
      return { session: body.session, last };
    },
    /** Caller presses 1, the media server uploads the recording and reports it recorded. */
    async leaveVoiceMessage(caller: string, callee: string, durationMs = 1000) {
      const { body } = await this.call(caller, callee);
      await this.press(body.session, '1');
      await h.api('PUT', `/api/v1/ivr/${body.session}/recording`, testWav(durationMs), { 'content-type': 'audio/wav' });
      return this.press(body.session, 'recorded');
    },
    async powerOn(msisdn: string, extra: Record<string, unknown> = {}) {
      return h.api('POST', '/api/v1/presence', { msisdn, state: 'reachable', at: h.clock.now(), ...extra });
    },
    async powerOff(msisdn: string) {
      return h.api('POST', '/api/v1/presence', { msisdn, state: 'unreachable', at: h.clock.now() });
    },
    async sms(from: string, text: string, extra: Record<string, unknown> = {}) {
      return h.api('POST', '/api/v1/sms/inbound', { from, to: '06001', text, at: h.clock.now(), ...extra });
    },
    /** Texts a handset received after the opening reminders. */
    async texts(to: string) {
      return (await h.inbox(to)).filter((m) => !/is now open|已开通/.test(m.text)).map((m) => m.text);
    },
  };
}
