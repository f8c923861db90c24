/**
 * The deployment's config file, `reachback.yaml` in the data dir: any
 * console setting can be fixed there so that deployments are reproducible.
 * Values from the file win over what the console saved, and the console
 * shows them as set by the file (read-only). Read once at start; a file that
 * does not parse or validate stops the start with the file, line and field.
 */
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import { z } from 'zod';
import { securitySettings } from '../api/commands';
import { sipSettingsFields, smscSettingsFields } from '../api/network-settings';
import { serviceRulesSchema } from '../api/rules';

export const configFileName = 'reachback.yaml';

export const configFileSchema = z
  .object({
    security: securitySettings.partial().strict().optional(),
    /** Top-level fields only: a nested object (e.g. quietHours) is given whole. */
    serviceRules: serviceRulesSchema.partial().strict().optional(),
    /** Settings → SMSC: `enabled` and the whole `link`. */
    smsc: smscSettingsFields.partial().strict().optional(),
    /** Settings → SIP: `enabled`, the whole `registrar`, `watch` and `numbers`. */
    sip: sipSettingsFields.partial().strict().optional(),
    networkTokens: z
      .array(
        z
          .object({
            name: z.string().trim().min(1).max(60),
            token: z.string().min(16, 'A network token has at least 16 characters').max(200),
          })
          .strict(),
      )
      .max(100)
      .optional(),
  })
  .strict();

export type ConfigFile = z.infer<typeof configFileSchema>;

export interface LoadedConfigFile {
  path: string;
  config: ConfigFile;
}

export class ConfigFileError extends Error {}

/** Reads and validates the config file; null when there is none. */
export function readConfigFile(dataDir: string): LoadedConfigFile | null {
  const file = path.join(dataDir, configFileName);
  if (!existsSync(file)) return null;
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  if (document.errors.length) {
    const first = document.errors[0]!;
    throw new ConfigFileError(`${file}: ${first.message.split('\n')[0]} (line ${first.linePos?.[0]?.line ?? '?'})`);
  }
  const parsed = configFileSchema.safeParse(document.toJS() ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const where = issue.path.join('.') || '(top level)';
    throw new ConfigFileError(`${file}: ${where}: ${issue.message}`);
  }
  return { path: file, config: parsed.data };
}
