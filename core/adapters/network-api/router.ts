/**
 * The network API (docs/network-api.yaml): how network elements drive the
 * engine over HTTP. Every request carries `Authorization: Bearer <token>`.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ZodError } from 'zod';
import { ApiError } from '../../api';
import { serviceNames, sessionIdPattern, type ServiceName } from '../../api/engine-types';
import type { CoreServices } from '../../services/context';
import { verifyToken } from '../../services/engine/network-tokens';
import { partyNumber } from '../../services/desk/called-party';
import { routeCall } from '../../services/desk/distribution';
import { listVirtualMessages } from '../../services/engine/virtual-smsc';
import { e164 } from '../../services/engine/numbers';
import { maxRecordingBytes } from '../../services/engine/voice-files';
import { HttpError, readBody, readJson, sendError, sendJson } from './http-io';

type Params = Record<string, string>;
type Handler = (ctx: {
  req: IncomingMessage;
  res: ServerResponse;
  params: Params;
  query: URLSearchParams;
  services: CoreServices;
}) => Promise<void>;

interface Route {
  method: string;
  path: string;
  pattern: RegExp;
  names: string[];
  handler: Handler;
}

const routes: Route[] = [];
function route(method: string, path: string, handler: Handler): void {
  const names: string[] = [];
  const pattern = new RegExp(`^${path.replace(/\{(\w+)\}/g, (_, name: string) => (names.push(name), '([^/]+)'))}$`);
  routes.push({ method, path, pattern, names, handler });
}

function service(name: string): ServiceName {
  if (!(serviceNames as readonly string[]).includes(name))
    throw new ApiError('validation', `service: use one of ${serviceNames.join(', ')}`, { field: 'service' });
  return name as ServiceName;
}

/** A recording for the media server, revalidated each time: a greeting changes under the same address. */
function sendAudio(res: ServerResponse, audio: Buffer): void {
  res.writeHead(200, { 'content-type': 'audio/wav', 'content-length': audio.length, 'cache-control': 'no-cache' });
  res.end(audio);
}

function list(name: string): 'blacklist' | 'whitelist' {
  if (name !== 'blacklist' && name !== 'whitelist') throw new ApiError('not_found', `There is no list ${name}; use blacklist or whitelist`);
  return name;
}

route('GET', '/api/v1/subscribers/{msisdn}', async ({ res, params, services }) =>
  sendJson(res, 200, await services.engine.getSubscriber(params.msisdn!)),
);

route('PUT', '/api/v1/subscribers/{msisdn}', async ({ req, res, params, services }) => {
  const result = await services.engine.provision(params.msisdn!, (await readJson(req)) as never);
  sendJson(res, result.created ? 201 : 200, result.subscriber);
});

route('DELETE', '/api/v1/subscribers/{msisdn}/services/{service}', async ({ res, params, services }) => {
  const result = await services.engine.closeService(params.msisdn!, service(params.service!));
  sendJson(res, 200, result.subscriber);
});

for (const method of ['PUT', 'DELETE']) {
  route(method, '/api/v1/subscribers/{msisdn}/{list}/{number}', async ({ res, params, services }) => {
    const result = await services.engine.changeList(params.msisdn!, list(params.list!), params.number!, method === 'PUT');
    sendJson(res, 200, { number: result.number, changed: result.changed, subscriber: await services.engine.getSubscriber(params.msisdn!) });
  });
}

route('GET', '/api/v1/subscribers/{msisdn}/greeting', async ({ res, params, services }) => {
  sendAudio(res, (await services.engine.greeting(params.msisdn!)).audio);
});

route('GET', '/api/v1/subscribers/{msisdn}/missed-calls', async ({ res, params, services }) => {
  await services.engine.getSubscriber(params.msisdn!);
  sendJson(res, 200, { calls: await services.engine.missedCalls(params.msisdn!) });
});

route('POST', '/api/v1/calls', async ({ req, res, services }) => {
  const answer = await services.engine.call((await readJson(req)) as never);
  sendJson(res, answer.status, answer.body);
});

route('POST', '/api/v1/selfcare/calls', async ({ req, res, services }) => {
  const answer = await services.engine.selfcareCall((await readJson(req)) as never);
  sendJson(res, answer.status, answer.body);
});

route('GET', '/api/v1/voice-messages/{id}', async ({ res, params, services }) => {
  const id = Number(params.id);
  if (!Number.isSafeInteger(id) || id <= 0) throw new HttpError(400, 'validation', 'id: a voice message id is a positive integer', 'id');
  sendAudio(res, await services.engine.voiceMessageAudio(id));
});

route('POST', '/api/v1/ivr/{session}/input', async ({ req, res, params, services }) => {
  const { action } = await services.engine.ivrInput(params.session!, (await readJson(req)) as never);
  sendJson(res, 200, { action });
});

route('PUT', '/api/v1/ivr/{session}/recording', async ({ req, res, params, services }) => {
  if (!/^audio\/(x-)?wav\b/i.test(req.headers['content-type'] ?? ''))
    throw new HttpError(415, 'validation', 'Send the recording as audio/wav', 'body');
  const result = await services.engine.uploadRecording(params.session!, await readBody(req, maxRecordingBytes));
  sendJson(res, 200, result);
});

route('GET', '/api/v1/ivr/{session}/recording', async ({ res, params, services }) =>
  sendAudio(res, await services.engine.sessionRecording(params.session!)),
);

route('POST', '/api/v1/presence', async ({ req, res, services }) => {
  const answer = await services.engine.presence((await readJson(req)) as never);
  sendJson(res, answer.status, answer.body);
});

route('POST', '/api/v1/sms/inbound', async ({ req, res, services }) => {
  const answer = await services.engine.inboundSms((await readJson(req)) as never);
  sendJson(res, answer.status, answer.body);
});

route('GET', '/api/v1/virtual-smsc/messages', async ({ res, query, services }) => {
  const rules = services.settings.serviceRules;
  const to = query.get('to');
  const since = query.get('since');
  if (since !== null && !/^\d+$/.test(since)) throw new ApiError('validation', 'since: epoch milliseconds', { field: 'since' });
  const messages = await listVirtualMessages(services.engine.deps, {
    to: to ? e164(to, 'to', rules.defaultCountryCode) : undefined,
    since: since === null ? undefined : Number(since),
  });
  sendJson(res, 200, { messages });
});

/**
 * The SIP proxy asks which agent rings for a call to the agent group (sipnet/README.md). Numbers that are not
 * numbers are treated as unknown rather than refused: a 400 would give the caller 503 instead of an agent.
 */
route('GET', '/api/v1/agents/route', async ({ res, query, services }) => {
  const callId = query.get('callid')?.trim() ?? '';
  if (!callId || callId.length > 255)
    throw new ApiError('validation', "callid: give the caller's SIP Call-ID (at most 255 characters)", { field: 'callid' });
  const attempt = query.get('attempt') ?? '1';
  if (!/^\d{1,2}$/.test(attempt) || Number(attempt) < 1) throw new ApiError('validation', 'attempt: 1, 2, 3…', { field: 'attempt' });
  const cc = services.settings.serviceRules.defaultCountryCode;
  const session = query.get('session') ?? '';
  const answer = await routeCall(services.desk, {
    callId,
    attempt: Number(attempt),
    tried: (query.get('tried') ?? '')
      .split(',')
      .map((user) => user.trim())
      .filter((user) => /^[A-Za-z0-9_-]+$/.test(user)),
    caller: partyNumber(query.get('caller'), 'caller', cc, 'header'),
    called: partyNumber(query.get('called'), 'called', cc, 'header'),
    session: sessionIdPattern.test(session) ? session : null,
  });
  sendJson(res, 200, answer);
});

/** Method and path template of every endpoint, for the check against docs/network-api.yaml. */
export function networkApiRoutes(): { method: string; path: string }[] {
  return [{ method: 'GET', path: '/api/v1/health' }, ...routes.map(({ method, path }) => ({ method, path }))];
}

function zodToApiError(error: ZodError): ApiError {
  const issue = error.issues[0]!;
  const field = issue.path.join('.') || undefined;
  return new ApiError('validation', field ? `${field}: ${issue.message}` : issue.message, { field });
}

/** Handles /api/v1/*; returns false for paths it does not own. */
export async function handleNetworkApi(req: IncomingMessage, res: ServerResponse, services: CoreServices): Promise<boolean> {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (!url.pathname.startsWith('/api/v1/')) return false;
  try {
    if (url.pathname === '/api/v1/health' && req.method === 'GET') {
      const store = services.store.status();
      sendJson(res, 200, { status: 'ok', version: services.version, lastSeq: store.lastSeq });
      return true;
    }
    const auth = req.headers.authorization ?? '';
    const token = /^Bearer\s+(\S+)$/i.exec(auth)?.[1];
    if (!token)
      throw new HttpError(
        401,
        'unauthenticated',
        'Send Authorization: Bearer <token>; tokens are managed in the console under Administration → Network elements',
      );
    const element = await verifyToken(services.store.db, token);
    if (!element) throw new HttpError(401, 'unauthenticated', 'The token is unknown or revoked');
    const matches = routes.map((r) => ({ r, m: r.pattern.exec(url.pathname) })).filter((x) => x.m);
    if (!matches.length) throw new HttpError(404, 'not_found', `No API endpoint ${req.method} ${url.pathname}`);
    const hit = matches.find((x) => x.r.method === req.method);
    if (!hit)
      throw new HttpError(
        405,
        'validation',
        `${url.pathname} does not accept ${req.method}; it accepts ${matches.map((x) => x.r.method).join(', ')}`,
      );
    const params: Params = {};
    hit.r.names.forEach((name, i) => {
      try {
        params[name] = decodeURIComponent(hit.m![i + 1]!);
      } catch {
        throw new ApiError('validation', `${name}: the path segment is not valid percent-encoding`, { field: name });
      }
    });
    await hit.r.handler({ req, res, params, query: url.searchParams, services });
  } catch (error) {
    if (error instanceof ApiError)
      sendError(res, error, error.code === 'unauthenticated' ? { 'WWW-Authenticate': 'Bearer realm="reachback"' } : {});
    else if (error instanceof ZodError) sendError(res, zodToApiError(error));
    else {
      services.logger.error('network API request failed', { method: req.method, path: url.pathname, error: (error as Error).stack });
      sendJson(res, 500, { error: { code: 'internal', message: 'The core could not complete this request; see its log' } });
    }
  }
  return true;
}
