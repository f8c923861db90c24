/** Turns any failure into one translated, actionable sentence. */
import type { TFunction } from 'i18next';
import { CommandError } from '../api/client';
import { en } from './en';

type FieldName = keyof typeof en.fields;

function isFieldName(name: string): name is FieldName {
  return Object.prototype.hasOwnProperty.call(en.fields, name);
}

/** Label for an argument name such as `security.sessionIdleMinutes` or `displayName`. */
export function fieldLabel(t: TFunction, field: string): string {
  const last = field.split('.').pop() ?? field;
  return isFieldName(last) ? t(`fields.${last}`) : field;
}

export function describeError(t: TFunction, error: unknown): string {
  if (!(error instanceof CommandError)) {
    const message = error instanceof Error ? error.message : String(error);
    return t('errors.client', { message });
  }
  const params = error.params ?? {};
  switch (error.code) {
    case 'validation':
      return error.field
        ? t('errors.validation', { field: fieldLabel(t, error.field), message: error.message })
        : t('errors.validation_general', { message: error.message });
    case 'account_locked': {
      const minutes = Number(params.minutes);
      return Number.isFinite(minutes) ? t('errors.account_locked', { count: minutes }) : t('errors.account_locked_unknown');
    }
    case 'conflict':
      return t('errors.conflict', { message: error.message });
    case 'not_found':
      return t('errors.not_found', { message: error.message });
    default:
      return t(`errors.${error.code}`, params);
  }
}

/** Errors that mean the session is gone: the sign-in screen explains them, so screens stay quiet. */
export function isSessionError(error: unknown): boolean {
  return error instanceof CommandError && (error.code === 'session_expired' || error.code === 'unauthenticated');
}
