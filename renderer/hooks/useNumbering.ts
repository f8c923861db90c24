/** How this installation writes numbers: the session carries it, whatever the operator's role. */
import { defaultServiceRules } from '../../core/api/rules';
import { useStore } from '../store';

export function useDefaultCountryCode(): string {
  return useStore((state) => state.me?.numbering.defaultCountryCode) ?? defaultServiceRules.defaultCountryCode;
}

/** The number subscribers dial for voicemail and self-care. */
export function useVoicemailNumber(): string {
  return useStore((state) => state.me?.numbering.voicemailNumber) ?? defaultServiceRules.voicemailNumber;
}
