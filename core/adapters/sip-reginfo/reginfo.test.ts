/** RFC 3680 documents, as Kamailio writes them and as the RFC allows, and the malformed ones. */
import { describe, expect, it } from 'vitest';
import { aorFor, aorMatches, toE164OrUndefined } from './address';
import { parseReginfo, ReginfoError, registrationReachability, unreachableReason } from './reginfo';

// What pua_reginfo publishes after a REGISTER (Kamailio 5.6).
const kamailioActive = `<?xml version="1.0"?>
<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">
  <registration aor="sip:4915112345678@reachback.test" id="0x7f82f5a94360" state="active">
    <contact id="0x7f82f5a94480" state="active" event="created" expires="30" callid="reg1@x" cseq="31" received="" path="" user_agent="n/a">
      <uri>sip:4915112345678@127.0.0.1:5999</uri>
    </contact>
  </registration>
</reginfo>`;

// ... and when the last contact expired: no contact left, registration terminated.
const kamailioExpired = `<?xml version="1.0"?>
<reginfo xmlns="urn:ietf:params:xml:ns:reginfo" version="0" state="full">
  <registration aor="sip:4915112345678@reachback.test" id="0x7f82f5a94360" state="terminated"/>
</reginfo>`;

// RFC 3680 section 6 style, with a namespace prefix and a partial update.
const rfcPartial = `<?xml version="1.0"?>
<r:reginfo xmlns:r="urn:ietf:params:xml:ns:reginfo" version="3" state="partial">
  <r:registration aor="sip:+4915112345678@example.com" id="a7" state="terminated">
    <r:contact id="76" state="terminated" event="unregistered" duration-registered="7322">
      <r:uri>sip:user@192.0.2.1</r:uri>
    </r:contact>
  </r:registration>
</r:reginfo>`;

describe('parseReginfo', () => {
  it('reads Kamailio’s active registration with its contact and the REGISTER Call-ID', () => {
    const doc = parseReginfo(kamailioActive);
    expect(doc).toEqual({
      version: 0,
      state: 'full',
      registrations: [
        {
          aor: 'sip:4915112345678@reachback.test',
          id: '0x7f82f5a94360',
          state: 'active',
          contacts: [
            {
              id: '0x7f82f5a94480',
              state: 'active',
              event: 'created',
              expires: 30,
              callId: 'reg1@x',
              uri: 'sip:4915112345678@127.0.0.1:5999',
            },
          ],
        },
      ],
    });
    expect(registrationReachability(doc.registrations[0]!)).toBe('reachable');
  });

  it('reads a terminated registration without contacts (expiry) as unreachable', () => {
    const registration = parseReginfo(kamailioExpired).registrations[0]!;
    expect(registration).toMatchObject({ state: 'terminated', contacts: [] });
    expect(registrationReachability(registration)).toBe('unreachable');
    expect(unreachableReason(registration)).toBe('terminated');
  });

  it('reads namespace prefixes, partial state and the contact event that says why', () => {
    const doc = parseReginfo(rfcPartial);
    expect(doc.version).toBe(3);
    expect(doc.state).toBe('partial');
    const registration = doc.registrations[0]!;
    expect(registrationReachability(registration)).toBe('unreachable');
    expect(unreachableReason(registration)).toBe('unregistered');
  });

  it('treats init (no contacts yet) as unreachable', () => {
    const doc = parseReginfo('<reginfo version="1" state="full"><registration aor="sip:1@x" id="1" state="init"/></reginfo>');
    expect(registrationReachability(doc.registrations[0]!)).toBe('unreachable');
    expect(unreachableReason(doc.registrations[0]!)).toBe('init');
  });

  it('reads several registrations and an empty full document', () => {
    const two = parseReginfo(
      '<reginfo version="1" state="full"><registration aor="sip:1@x" state="active"><contact state="active"><uri>sip:1@h</uri></contact></registration>' +
        '<registration aor="sip:2@x" state="init"/></reginfo>',
    );
    expect(two.registrations.map((r) => [r.aor, registrationReachability(r)])).toEqual([
      ['sip:1@x', 'reachable'],
      ['sip:2@x', 'unreachable'],
    ]);
    expect(parseReginfo('<reginfo version="0" state="full"/>').registrations).toEqual([]);
  });

  it.each([
    ['truncated XML', kamailioActive.slice(0, 200), /well-formed/],
    ['not XML at all', 'registered!', /root element|well-formed/],
    ['another root element', '<presence version="0" state="full"/>', /root element/],
    ['no version', '<reginfo state="full"/>', /version is missing/],
    ['a version that is not a number', '<reginfo version="x" state="full"/>', /version must be/],
    ['an unknown document state', '<reginfo version="0" state="half"/>', /reginfo state/],
    ['a registration without aor', '<reginfo version="0" state="full"><registration state="active"/></reginfo>', /no aor/],
    [
      'a registration state outside the RFC',
      '<reginfo version="0" state="full"><registration aor="sip:1@x" state="online"/></reginfo>',
      /state must be/,
    ],
    [
      'a contact without state',
      '<reginfo version="0" state="full"><registration aor="sip:1@x" state="active"><contact id="1"/></registration></reginfo>',
      /contact 1 of sip:1@x: state/,
    ],
    [
      'a negative contact expiry',
      '<reginfo version="0" state="full"><registration aor="sip:1@x" state="active"><contact state="active" expires="-5"/></registration></reginfo>',
      /expires must be/,
    ],
    ['a DOCTYPE (entity expansion)', '<!DOCTYPE r [<!ENTITY a "aaaa">]><reginfo version="0" state="full"/>', /DOCTYPE/],
    ['a huge body', `<reginfo version="0" state="full">${' '.repeat(300_000)}</reginfo>`, /too large/],
  ])('refuses %s with a ReginfoError that says what is wrong', (_what, xml, message) => {
    expect(() => parseReginfo(xml)).toThrow(ReginfoError);
    expect(() => parseReginfo(xml)).toThrow(message);
  });
});

describe('numbers and AORs', () => {
  it('maps E.164 to the AOR user part, digits by default or with the +', () => {
    expect(aorFor('+4915112345678', 'reachback.test', 'digits')).toBe('sip:4915112345678@reachback.test');
    expect(aorFor('+4915112345678', 'ims.example.org', 'plus')).toBe('sip:+4915112345678@ims.example.org');
  });

  it('accepts E.164 with or without the + and refuses the rest', () => {
    expect(toE164OrUndefined(' 4915112345678 ')).toBe('+4915112345678');
    expect(toE164OrUndefined('+8613800138000')).toBe('+8613800138000');
    expect(toE164OrUndefined('0151 1234')).toBeUndefined();
    expect(toE164OrUndefined('agent1')).toBeUndefined();
  });

  it('matches a registration AOR whichever user-part form the registrar used', () => {
    expect(aorMatches('sip:4915112345678@reachback.test', '+4915112345678')).toBe(true);
    expect(aorMatches('sip:+4915112345678@ims.example.org;user=phone', '+4915112345678')).toBe(true);
    expect(aorMatches('sip:4915112345679@reachback.test', '+4915112345678')).toBe(false);
  });
});
