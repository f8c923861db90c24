/** Parsing and building SIP messages: what the watcher reads from NOTIFYs and writes in SUBSCRIBEs. */
import { describe, expect, it } from 'vitest';
import {
  buildResponse,
  missingMandatoryHeaders,
  newBranch,
  parseCSeq,
  parseNameAddr,
  parseSipMessage,
  parseSubscriptionState,
  parseVia,
  serializeSipMessage,
  SipHeaders,
  SipParseError,
  splitHeaderList,
  uriUser,
  type SipRequest,
} from './sip-message';

// A NOTIFY as Kamailio 5.6 (presence_reginfo) sends it.
const kamailioNotify = [
  'NOTIFY sip:reachback@127.0.0.1:33139 SIP/2.0',
  'Via: SIP/2.0/UDP 127.0.0.1:58341;branch=z9hG4bKb6ac.0f5d1d7f000000000000000000000000.0',
  'To: <sip:reachback@reachback.test>;tag=t1',
  'From: <sip:4915112345678@reachback.test>;tag=73bf6e8d67710795810b9af0217ef357-acc81a45',
  'CSeq: 3 NOTIFY',
  'Call-ID: sub1@x',
  'Content-Length: 58',
  'Max-Forwards: 70',
  'Event: reg',
  'Contact: <sip:127.0.0.1:58341>',
  'Subscription-State: active;expires=59',
  'Content-Type: application/reginfo+xml',
  '',
  '<reginfo version="0" state="full"></reginfo>\n<!-- pad -->\n',
].join('\r\n');

describe('parseSipMessage', () => {
  it('reads a NOTIFY: start line, headers by name in any case, the body cut at Content-Length', () => {
    const message = parseSipMessage(Buffer.from(kamailioNotify));
    expect(message.kind).toBe('request');
    const notify = message as SipRequest;
    expect(notify.method).toBe('NOTIFY');
    expect(notify.uri).toBe('sip:reachback@127.0.0.1:33139');
    expect(notify.headers.get('call-id')).toBe('sub1@x');
    expect(notify.headers.get('SUBSCRIPTION-STATE')).toBe('active;expires=59');
    expect(notify.body).toBe('<reginfo version="0" state="full"></reginfo>\n<!-- pad -->\n'.slice(0, 58));
    expect(missingMandatoryHeaders(notify)).toEqual([]);
  });

  it('reads a response and compact header names', () => {
    const message = parseSipMessage(
      'SIP/2.0 200 OK\r\nv: SIP/2.0/UDP 127.0.0.1:5070;branch=z9hG4bKx\r\nf: <sip:a@b>;tag=1\r\nt: <sip:c@d>;tag=2\r\ni: abc\r\nCSeq: 1 SUBSCRIBE\r\nl: 0\r\nExpires: 600\r\n\r\n',
    );
    expect(message).toMatchObject({ kind: 'response', status: 200, reason: 'OK' });
    expect(message.headers.get('Call-ID')).toBe('abc');
    expect(message.headers.get('via')).toContain('branch=z9hG4bKx');
    expect(message.headers.get('expires')).toBe('600');
  });

  it('unfolds continuation lines and accepts bare LF line ends', () => {
    const message = parseSipMessage('OPTIONS sip:x@y SIP/2.0\nSubject: one\n  two\nCall-ID: c\n\n');
    expect(message.headers.get('subject')).toBe('one two');
    expect(message.headers.get('call-id')).toBe('c');
  });

  it('splits comma-joined Via and Record-Route, but not commas inside quotes or <>', () => {
    const message = parseSipMessage(
      'SIP/2.0 200 OK\r\nVia: SIP/2.0/UDP a:1;branch=z9hG4bK1, SIP/2.0/UDP b:2;branch=z9hG4bK2\r\nVia: SIP/2.0/UDP c:3;branch=z9hG4bK3\r\n' +
        'Record-Route: <sip:p1;lr>, "Proxy, two" <sip:p2;lr>\r\nContent-Length: 0\r\n\r\n',
    );
    expect(message.headers.getAll('via').map((v) => parseVia(v).host)).toEqual(['a', 'b', 'c']);
    expect(message.headers.getAll('record-route')).toEqual(['<sip:p1;lr>', '"Proxy, two" <sip:p2;lr>']);
    expect(splitHeaderList('<sip:a;x=1,2>;q=1, <sip:b>')).toEqual(['<sip:a;x=1,2>;q=1', '<sip:b>']);
  });

  it.each([
    ['no blank line after the headers', 'NOTIFY sip:a@b SIP/2.0\r\nCall-ID: x\r\n'],
    ['a start line that is not SIP', 'HTTP/1.1 200 OK\r\n\r\n'],
    ['a header line without a colon', 'NOTIFY sip:a@b SIP/2.0\r\nnot a header\r\n\r\n'],
    ['a body shorter than Content-Length', 'NOTIFY sip:a@b SIP/2.0\r\nContent-Length: 10\r\n\r\nabc'],
    ['a Content-Length that is not a number', 'NOTIFY sip:a@b SIP/2.0\r\nContent-Length: ten\r\n\r\n'],
  ])('refuses %s', (_what, text) => {
    expect(() => parseSipMessage(text)).toThrow(SipParseError);
  });
});

describe('serializeSipMessage', () => {
  it('writes headers in order and computes Content-Length from the UTF-8 body', () => {
    const headers = new SipHeaders().append('call-id', 'x').append('cseq', '1 NOTIFY').append('Content-Length', '999');
    const text = serializeSipMessage({ kind: 'request', method: 'NOTIFY', uri: 'sip:a@b', headers, body: 'ü' });
    expect(text).toBe('NOTIFY sip:a@b SIP/2.0\r\nCall-ID: x\r\nCSeq: 1 NOTIFY\r\nContent-Length: 2\r\n\r\nü');
    const again = parseSipMessage(text);
    expect(again.body).toBe('ü');
  });

  it('round-trips what it parses', () => {
    const message = parseSipMessage(kamailioNotify);
    const reparsed = parseSipMessage(serializeSipMessage(message));
    expect([...reparsed.headers]).toEqual([...message.headers].filter(([n]) => n !== 'Content-Length').concat([['Content-Length', '58']]));
  });
});

describe('buildResponse', () => {
  it('copies Via, From, To, Call-ID and CSeq and adds our To tag only when there is none', () => {
    const request = parseSipMessage(kamailioNotify) as SipRequest;
    const response = buildResponse(request, 200, 'OK', { toTag: 'ours' });
    const text = serializeSipMessage(response);
    expect(text.startsWith('SIP/2.0 200 OK\r\n')).toBe(true);
    expect(response.headers.get('to')).toBe('<sip:reachback@reachback.test>;tag=t1');
    expect(response.headers.get('via')).toBe(request.headers.get('via'));
    expect(response.headers.get('cseq')).toBe('3 NOTIFY');

    const untagged = parseSipMessage(
      'OPTIONS sip:a@b SIP/2.0\r\nVia: SIP/2.0/UDP h;branch=z9hG4bK1\r\nTo: <sip:a@b>\r\nContent-Length: 0\r\n\r\n',
    );
    expect(buildResponse(untagged as SipRequest, 200, 'OK', { toTag: 'ours' }).headers.get('to')).toBe('<sip:a@b>;tag=ours');
  });
});

describe('header values', () => {
  it('parses name-addr with and without angle brackets', () => {
    expect(parseNameAddr('"Desk 1" <sip:agent1@example.org;transport=ws>;tag=abc;expires=60')).toEqual({
      display: 'Desk 1',
      uri: 'sip:agent1@example.org;transport=ws',
      params: { tag: 'abc', expires: '60' },
    });
    expect(parseNameAddr('sip:a@b;tag=x')).toEqual({ uri: 'sip:a@b', params: { tag: 'x' } });
    expect(() => parseNameAddr('<sip:a@b')).toThrow(SipParseError);
  });

  it('parses Via with port, IPv6 and parameters', () => {
    expect(parseVia('SIP/2.0/UDP 127.0.0.1:5060;branch=z9hG4bK1;rport')).toEqual({
      transport: 'UDP',
      host: '127.0.0.1',
      port: 5060,
      params: { branch: 'z9hG4bK1', rport: null },
    });
    expect(parseVia('SIP/2.0/WS [::1]:8088;branch=z9hG4bK2').host).toBe('::1');
    expect(() => parseVia('garbage')).toThrow(SipParseError);
  });

  it('parses CSeq and Subscription-State', () => {
    expect(parseCSeq('42 notify')).toEqual({ seq: 42, method: 'NOTIFY' });
    expect(() => parseCSeq('NOTIFY 42')).toThrow(SipParseError);
    expect(parseSubscriptionState('active;expires=600')).toEqual({ state: 'active', expires: 600 });
    expect(parseSubscriptionState('terminated;reason=deactivated;retry-after=10')).toEqual({
      state: 'terminated',
      reason: 'deactivated',
      retryAfter: 10,
    });
    expect(() => parseSubscriptionState(undefined)).toThrow(SipParseError);
  });

  it('finds the user part of SIP and tel URIs', () => {
    expect(uriUser('sip:+4915112345678@ims.example.org;user=phone')).toBe('+4915112345678');
    expect(uriUser('sip:4915112345678;npdi@example.org')).toBe('4915112345678');
    expect(uriUser('tel:+4930123;phone-context=example.org')).toBe('+4930123');
    expect(uriUser('sip:example.org')).toBeUndefined();
  });

  it('makes RFC 3261 branches', () => {
    expect(newBranch()).toMatch(/^z9hG4bK[0-9a-f]{20}$/);
  });
});
