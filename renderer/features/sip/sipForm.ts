/**
 * The SIP form's model: the registrar settings as typed text, one entry per field, keyed by the field's name in
 * `registrar` (also the path the core names in a validation error, after `registrar.`). Checked with the same zod
 * schema the core validates with.
 */
import { sipReginfoConfigSchema, type SipReginfoConfig, type SipSettings } from '../../../core/api/network-settings';
import { numberBounds as fieldNumberBounds } from '../links/schemaBounds';

export const numberPaths = ['registrarPort', 'localPort', 'expires', 'keepaliveIntervalMs'] as const;
export type NumberPath = (typeof numberPaths)[number];

export function isNumberPath(path: string): path is NumberPath {
  return (numberPaths as readonly string[]).includes(path);
}

export const textPaths = ['registrarHost', 'domain', 'localHost'] as const;
export type TextPath = (typeof textPaths)[number];

export type RegistrarPath = NumberPath | TextPath | 'userPart';
export type RegistrarDraft = Record<RegistrarPath, string>;

export type WatchMode = SipSettings['watch'];

const allPaths: readonly RegistrarPath[] = [...textPaths, ...numberPaths, 'userPart'];

/** A new registrar: the schema's defaults, with the fields that have none left empty. */
export const newRegistrarDefaults: SipReginfoConfig = {
  ...sipReginfoConfigSchema.parse({ registrarHost: '-', domain: '-' }),
  registrarHost: '',
  domain: '',
};

export function toDraft(registrar: SipReginfoConfig | undefined): RegistrarDraft {
  const source = registrar ?? newRegistrarDefaults;
  return Object.fromEntries(allPaths.map((path) => [path, String(source[path])])) as RegistrarDraft;
}

function parseWhole(text: string): number {
  const trimmed = text.trim();
  return /^\d+$/.test(trimmed) ? Number(trimmed) : NaN;
}

export type Checked = { ok: true; registrar: SipReginfoConfig; invalid: Set<string> } | { ok: false; invalid: Set<string> };

/** The schema's verdict on the typed registrar settings: parsed, or the refused fields. */
export function check(draft: RegistrarDraft): Checked {
  const input = {
    registrarHost: draft.registrarHost.trim(),
    domain: draft.domain.trim(),
    localHost: draft.localHost.trim(),
    userPart: draft.userPart,
    ...Object.fromEntries(numberPaths.map((path) => [path, parseWhole(draft[path])])),
  };
  const result = sipReginfoConfigSchema.safeParse(input);
  if (result.success) return { ok: true, registrar: result.data, invalid: new Set() };
  return { ok: false, invalid: new Set(result.error.issues.map((issue) => issue.path.join('.'))) };
}

export function changedPaths(draft: RegistrarDraft, base: RegistrarDraft): RegistrarPath[] {
  return allPaths.filter((path) => draft[path] !== base[path]);
}

export function numberBounds(path: NumberPath): { min: number; max: number | null } {
  return fieldNumberBounds(sipReginfoConfigSchema.shape[path]);
}
