/** Reading request bodies safely and writing JSON answers in the network API's error format. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, type ErrorCode } from '../../api';

export const maxJsonBytes = 64 * 1024;

const statusByCode: Partial<Record<ErrorCode, number>> = {
  validation: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  unknown_command: 404,
};

export class HttpError extends ApiError {
  constructor(
    readonly status: number,
    code: ErrorCode,
    message: string,
    field?: string,
  ) {
    super(code, message, { field });
  }
}

export function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
    ...headers,
  });
  res.end(text);
}

/** `{"error":{"code","message","field"}}` with the status its code implies. */
export function sendError(res: ServerResponse, error: ApiError, headers: Record<string, string> = {}): void {
  const status = error instanceof HttpError ? error.status : (statusByCode[error.code] ?? 500);
  const body: { code: string; message: string; field?: string; params?: Record<string, string | number> } = {
    code: error.code,
    message: error.message,
  };
  if (error.field) body.field = error.field;
  if (error.params) body.params = error.params;
  sendJson(res, status, { error: body }, headers);
}

/** Reads the whole body, refusing (413) beyond `limit` without buffering the excess. */
export async function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length'] ?? 0);
  if (declared > limit) throw new HttpError(413, 'validation', `The body is larger than ${limit} bytes`, 'body');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new HttpError(413, 'validation', `The body is larger than ${limit} bytes`, 'body');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
}

const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export async function readJson(req: IncomingMessage): Promise<unknown> {
  const type = req.headers['content-type'] ?? '';
  if (!/^application\/json\b/i.test(type)) throw new HttpError(415, 'validation', 'Send the body as application/json', 'body');
  const bytes = await readBody(req, maxJsonBytes);
  let text: string;
  try {
    text = strictUtf8.decode(bytes);
  } catch {
    throw new ApiError('validation', 'The body is not valid UTF-8', { field: 'body' });
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ApiError('validation', 'The body is not valid JSON', { field: 'body' });
  }
}
