/**
 * Which settings the deployment's config file (reachback.yaml) fixes. The core reads the file once at start, so
 * the answer is kept for the console's lifetime once known; screens show those fields read-only and never send
 * changes for them (the core would refuse them with 409).
 */
import { useCallback, useEffect, useMemo } from 'react';
import type { SettingsSources } from '../../core/api';
import { useQuery } from './useCommand';

export type SettingsSection = keyof SettingsSources['fields'];

export interface SectionSources {
  /** Path of the config file, or null when the deployment has none. */
  file: string | null;
  /** Top-level fields of the section that come from the file. */
  fields: readonly string[];
  /** Whether a field comes from the file; a dotted path (`expiryHours.notification`) counts by its top-level part. */
  isFixed(path: string): boolean;
}

let known: SettingsSources | null = null;

export function useSettingsSources(section: SettingsSection): SectionSources {
  const query = useQuery('settings/sources', {});
  useEffect(() => {
    if (query.data) known = query.data;
  }, [query.data]);
  const sources = query.data ?? known;
  const fields = useMemo(() => sources?.fields[section] ?? [], [sources, section]);
  const isFixed = useCallback((path: string) => fields.includes(path.split('.')[0] ?? path), [fields]);
  return { file: sources?.file ?? null, fields, isFixed };
}
