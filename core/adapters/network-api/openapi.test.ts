/** The API as documented is the API as served. */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { promptIds } from '../../domain/ivr-prompts';
import { networkApiRoutes } from './router';

const doc = parse(readFileSync(path.resolve(__dirname, '../../../docs/network-api.yaml'), 'utf8')) as {
  openapi: string;
  servers: { url: string }[];
  paths: Record<string, Record<string, unknown>>;
  components: { schemas: { Prompt: { properties: { id: { enum: string[] } } } } };
};

const served = networkApiRoutes()
  .map((r) => `${r.method} ${r.path}`)
  .sort();
const methods = ['get', 'put', 'post', 'delete', 'patch'];
const documented = Object.entries(doc.paths)
  .flatMap(([p, ops]) =>
    Object.keys(ops)
      .filter((m) => methods.includes(m))
      .map((m) => `${m.toUpperCase()} ${doc.servers[0]?.url.endsWith('/api/v1') ? '/api/v1' : ''}${p}`),
  )
  .sort();

describe('docs/network-api.yaml', () => {
  it('is OpenAPI 3', () => {
    expect(doc.openapi).toMatch(/^3\./);
  });

  it('documents every endpoint the router serves, and no other', () => {
    expect(documented).toEqual(served);
  });

  it('lists every prompt id the IVR can send', () => {
    expect(doc.components.schemas.Prompt.properties.id.enum.sort()).toEqual(promptIds().sort());
  });
});
