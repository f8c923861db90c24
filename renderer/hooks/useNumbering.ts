/** How this installation writes numbers: the session carries it, whatever the operator's role. */
import { defaultServiceRules } from '../../core/api/rules';
import { useStore } from '../store';

export function useDefaultCountryCode(): string {
  return useStore((state) => state.me?.numbering.defaultCountryCode) ?? defaultServiceRules.defaultCountryCode;
}
