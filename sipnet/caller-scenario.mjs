// sipnet/scenarios/caller.xml as tests and benchmarks use it: with the IVR's session header, without the
// called-party header, and what the caller does instead of hanging up after a while (by default: stay on the
// line until the agent hangs up).
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const here = import.meta.dirname ?? path.resolve('sipnet');

const body = (sdp) => (sdp ? `Content-Type: application/sdp\n      Content-Length: [len]\n\n      ${sdp}\n` : 'Content-Length: 0\n');

/** The caller's answer to a request that arrived in the call (200 OK unless told), with an SDP body if given. */
export const reply = ({ status = '200 OK', sdp } = {}) => `<send>
    <![CDATA[

      SIP/2.0 ${status}
      [last_Via:]
      [last_From:]
      [last_To:]
      [last_Call-ID:]
      [last_CSeq:]
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      ${body(sdp)}
    ]]>
  </send>`;

/** A request of the caller's inside the call (a re-INVITE, its ACK, a BYE), with an SDP body if given. */
export const inDialogRequest = (method, cseq, { sdp } = {}) => `<send${method === 'ACK' ? '' : ' retrans="500"'}>
    <![CDATA[

      ${method} [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: <sip:[caller]@[local_ip]:[local_port]>;tag=[pid]SIPpTag00[call_number]
      To: <sip:[service]@[remote_ip]:[remote_port]>[peer_tag_param]
      Call-ID: [call_id]
      CSeq: ${cseq} ${method}
      Contact: <sip:[caller]@[local_ip]:[local_port]>
      Max-Forwards: 70
      ${body(sdp)}
    ]]>
  </send>`;

/** The caller stays on the line until the agent hangs up. */
export const waitForBye = `<recv request="BYE"/>
  ${reply()}`;

export function callerScenario(dir, { session, withCalled = true, then = waitForBye } = {}) {
  let xml = readFileSync(path.join(here, 'scenarios', 'caller.xml'), 'utf8');
  if (!withCalled) xml = xml.replace(/^\s*X-Reachback-Called: \[called\]\n/m, '');
  if (session) xml = xml.replace(/^(\s*)(X-Reachback-Caller: \[caller\]\n)/m, `$1$2$1X-Reachback-Session: ${session}\n`);
  xml = xml.replace(/<pause\/>[\s\S]*<\/scenario>\s*$/, () => `${then}\n</scenario>\n`);
  const file = path.join(dir, `caller-${Date.now()}-${Math.random().toString(36).slice(2, 8)}.xml`);
  writeFileSync(file, xml);
  return file;
}
