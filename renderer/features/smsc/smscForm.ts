/**
 * The SMSC form's model: one entry per link field, keyed by its path in the link settings (`port`,
 * `source.shortCode.ton`), which is also the path the core names in a validation error (after `link.`). Number
 * fields keep the typed text; everything is checked with the same zod schema the core validates with.
 */
import { z } from 'zod';
import { smppLinkSchema, type SmppConfig, type SmppConfigInput } from '../../../core/api/network-settings';
import { numberBounds as fieldNumberBounds, textMaxLength as fieldMaxLength, unwrapField } from '../links/schemaBounds';

export const numberPaths = [
  'port',
  'tps',
  'windowSize',
  'responseTimeoutMs',
  'enquireLinkIntervalMs',
  'reconnectMinMs',
  'reconnectMaxMs',
  'throttledRetries',
  'throttledBackoffMs',
  'moReassemblyTimeoutMs',
  'receiptTrackingMs',
  'drainTimeoutMs',
] as const;
export type NumberPath = (typeof numberPaths)[number];

export const textPaths = ['host', 'systemId', 'password', 'systemType', 'source.address'] as const;
export type TextPath = (typeof textPaths)[number];

export const addressRoles = ['source.shortCode', 'source.alphanumeric', 'source.international', 'destination'] as const;
export type AddressRole = (typeof addressRoles)[number];
export type AddressPath = `${AddressRole}.${'ton' | 'npi'}`;

export const switchPaths = ['requestReceipts', 'useReplaceSm'] as const;
export type SwitchPath = (typeof switchPaths)[number];

export type LinkPath = NumberPath | TextPath | AddressPath | SwitchPath | 'bindMode' | 'defaultAlphabet';

/** Text for text, number and select fields; booleans for switches. */
export type LinkDraft = Record<Exclude<LinkPath, SwitchPath>, string> & Record<SwitchPath, boolean>;

/** TON and NPI values of SMPP 3.4 §5.2.5–5.2.6, with their names in the catalogue, in the order they are offered. */
export const tonNames = {
  0: 'unknown',
  1: 'international',
  2: 'national',
  3: 'networkSpecific',
  4: 'subscriber',
  5: 'alphanumeric',
  6: 'abbreviated',
} as const;
export const npiNames = {
  0: 'unknown',
  1: 'isdn',
  3: 'data',
  4: 'telex',
  6: 'landMobile',
  8: 'national',
  9: 'private',
  10: 'ermes',
  14: 'internet',
  18: 'wap',
} as const;
export const tonValues = Object.keys(tonNames).map(Number);
export const npiValues = Object.keys(npiNames).map(Number);

/** A new link: the schema's defaults, with the fields that have none left empty. */
export const newLinkDefaults: SmppConfig = { ...smppLinkSchema.parse({ host: '-', systemId: '-', password: '' }), host: '', systemId: '' };

function getAt(object: unknown, path: string): unknown {
  let node = object;
  for (const part of path.split('.'))
    node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
  return node;
}

function setAt(object: Record<string, unknown>, path: string, value: unknown): void {
  const parts = path.split('.');
  let node = object;
  for (const part of parts.slice(0, -1)) {
    node[part] ??= {};
    node = node[part] as Record<string, unknown>;
  }
  node[parts[parts.length - 1]!] = value;
}

const allPaths: LinkPath[] = [
  ...textPaths,
  ...numberPaths,
  ...addressRoles.flatMap((role) => [`${role}.ton`, `${role}.npi`] as AddressPath[]),
  ...switchPaths,
  'bindMode',
  'defaultAlphabet',
];

function isSwitch(path: LinkPath): path is SwitchPath {
  return (switchPaths as readonly string[]).includes(path);
}

/** The saved link (or a new one's defaults) as form values; the password is never known to the console. */
export function toDraft(link: SmppConfig | undefined): LinkDraft {
  const source = link ?? newLinkDefaults;
  const draft = {} as Record<string, string | boolean>;
  for (const path of allPaths) {
    const value = getAt(source, path);
    draft[path] = isSwitch(path) ? Boolean(value) : path === 'password' ? '' : String(value ?? '');
  }
  return draft as LinkDraft;
}

function parseNumber(path: NumberPath, text: string): number {
  const trimmed = text.trim();
  // TPS may be fractional (0.5 = one every two seconds); the rest are whole numbers.
  const pattern = path === 'tps' ? /^\d+(\.\d+)?$/ : /^\d+$/;
  return pattern.test(trimmed) ? Number(trimmed) : NaN;
}

/** The link settings the form describes, as the core accepts them (not yet validated). */
export function fromDraft(draft: LinkDraft): SmppConfigInput {
  const link: Record<string, unknown> = {};
  for (const path of allPaths) {
    const value = draft[path];
    if (typeof value === 'boolean') setAt(link, path, value);
    else if ((numberPaths as readonly string[]).includes(path)) setAt(link, path, parseNumber(path as NumberPath, value));
    else if (path.endsWith('.ton') || path.endsWith('.npi')) setAt(link, path, Number(value));
    else setAt(link, path, path === 'host' ? value.trim() : value);
  }
  return link as SmppConfigInput;
}

export type Checked = { ok: true; link: SmppConfig; invalid: Set<string> } | { ok: false; invalid: Set<string> };

/** The schema's verdict: the parsed link, or the refused paths (joined with dots). */
export function check(draft: LinkDraft): Checked {
  const result = smppLinkSchema.safeParse(fromDraft(draft));
  if (result.success) return { ok: true, link: result.data, invalid: new Set() };
  return { ok: false, invalid: new Set(result.error.issues.map((issue) => issue.path.join('.'))) };
}

/** Paths whose value differs between two drafts (a typed password always counts). */
export function changedPaths(draft: LinkDraft, base: LinkDraft): LinkPath[] {
  return allPaths.filter((path) => (path === 'password' ? draft.password !== '' : draft[path] !== base[path]));
}

/** Bounds of a number field, from the shared schema; `max` is null when the schema sets none. */
export function numberBounds(path: NumberPath): { min: number; max: number | null } {
  return fieldNumberBounds(smppLinkSchema.shape[path]);
}

/** The longest text the schema accepts for a text field (SMPP's octet limits). */
export function textMaxLength(path: TextPath): number | undefined {
  const source = unwrapField(smppLinkSchema.shape.source);
  if (path !== 'source.address') return fieldMaxLength(smppLinkSchema.shape[path]);
  return source instanceof z.ZodObject ? fieldMaxLength(source.shape.address as z.ZodType) : undefined;
}
