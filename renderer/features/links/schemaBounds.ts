/** What a settings form can read off the core's zod schema for a field: its number bounds and its longest text. */
import { z } from 'zod';

/** The field's own schema, without `.default()` / `.prefault()` / `.optional()`. */
export function unwrapField(schema: z.ZodType): z.ZodType {
  return schema instanceof z.ZodDefault || schema instanceof z.ZodPrefault || schema instanceof z.ZodOptional
    ? unwrapField(schema.unwrap() as z.ZodType)
    : schema;
}

/** Bounds of a number field; `max` is null when the schema sets none. */
export function numberBounds(schema: z.ZodType): { min: number; max: number | null } {
  const field = unwrapField(schema);
  if (!(field instanceof z.ZodNumber)) return { min: 0, max: null };
  const max = field.maxValue;
  return { min: field.minValue ?? 0, max: max === null || max >= Number.MAX_SAFE_INTEGER ? null : max };
}

/** The longest text a string field accepts, if the schema limits it. */
export function textMaxLength(schema: z.ZodType): number | undefined {
  const field = unwrapField(schema);
  return field instanceof z.ZodString ? (field.maxLength ?? undefined) : undefined;
}
