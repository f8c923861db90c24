/** Phone numbers as operators read and type them, with the core's own rules (core/domain/msisdn). */
import { createContext, useCallback, useContext, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { ServiceRules } from '../../../core/api/rules';
import { formatNational, normalizeMsisdn, type MsisdnResult } from '../../../core/domain/msisdn';
import { useQuery } from '../../hooks/useCommand';
import { useCoreEvent } from '../../hooks/useCoreEvent';
import { useCan } from '../../hooks/usePermissions';
import { useDefaultCountryCode } from '../../hooks/useNumbering';

const RulesContext = createContext<{ rules: ServiceRules | undefined } | null>(null);

/** Loads the service rules once for the subscriber screens (list limits), for operators who may read them. */
export function SubscriberRulesProvider({ children }: { children: ReactNode }) {
  const can = useCan();
  const query = useQuery('rules/get', {}, { enabled: can('rules.read') });
  useCoreEvent('rules/changed', query.reload);
  const value = useMemo(() => ({ rules: query.data }), [query.data]);
  return <RulesContext.Provider value={value}>{children}</RulesContext.Provider>;
}

/** The service rules, when this operator may read them. */
export function useSubscriberRules(): ServiceRules | undefined {
  return useContext(RulesContext)?.rules;
}

/** E.164 → '138 0013 8000' (national) or '+44 7700 900123'. */
export function useMsisdnFormat(): (e164: string) => string {
  const countryCode = useDefaultCountryCode();
  return useCallback((e164: string) => formatNational(e164, countryCode), [countryCode]);
}

/** Parses a typed number; the problem text is translated. */
export function useMsisdnParser(): (text: string) => { ok: true; e164: string } | { ok: false; message: string } {
  const { t } = useTranslation();
  const countryCode = useDefaultCountryCode();
  return useCallback(
    (text: string) => {
      const result: MsisdnResult = normalizeMsisdn(text, countryCode);
      return result.ok ? { ok: true, e164: result.e164 } : { ok: false, message: t(`subscribers.numberProblems.${result.problem}`) };
    },
    [t, countryCode],
  );
}
