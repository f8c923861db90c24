/** SMS templates: the built-in wordings, overridden per language by what operators saved. */
import type { Kysely, Transaction } from 'kysely';
import { ApiError } from '../../api';
import {
  templateKeys,
  templateLanguages,
  templateSpecs,
  unknownPlaceholders,
  type TemplateKey,
  type TemplateLanguage,
} from '../../domain/sms-templates';
import type { Schema } from '../../store/schema';

export class TemplateService {
  private overrides = new Map<string, string>();

  async load(db: Kysely<Schema>): Promise<void> {
    const rows = await db.selectFrom('sms_templates').selectAll().execute();
    this.overrides = new Map(rows.map((r) => [`${r.key}|${r.language}`, r.text]));
  }

  get(key: TemplateKey, language: TemplateLanguage): string {
    return this.overrides.get(`${key}|${language}`) ?? templateSpecs[key][language];
  }

  list(): {
    key: TemplateKey;
    language: TemplateLanguage;
    text: string;
    defaultText: string;
    placeholders: readonly string[];
    edited: boolean;
  }[] {
    return templateKeys.flatMap((key) =>
      templateLanguages.map((language) => ({
        key,
        language,
        text: this.get(key, language),
        defaultText: templateSpecs[key][language],
        placeholders: templateSpecs[key].placeholders,
        edited: this.overrides.has(`${key}|${language}`),
      })),
    );
  }

  /** Saves (or, with null, resets to the default) within the caller's transaction; call load() after. */
  async save(trx: Transaction<Schema>, key: TemplateKey, language: TemplateLanguage, text: string | null, now: number): Promise<void> {
    if (text === null) {
      await trx.deleteFrom('sms_templates').where('key', '=', key).where('language', '=', language).execute();
      return;
    }
    const unknown = unknownPlaceholders(key, text);
    if (unknown.length) {
      throw new ApiError(
        'validation',
        `This template cannot use {${unknown.join('}, {')}}; it offers ${templateSpecs[key].placeholders.map((p) => `{${p}}`).join(', ') || 'no placeholders'}`,
        {
          field: 'text',
        },
      );
    }
    await trx
      .insertInto('sms_templates')
      .values({ key, language, text, updated_at: now })
      .onConflict((oc) => oc.columns(['key', 'language']).doUpdateSet({ text, updated_at: now }))
      .execute();
  }
}
