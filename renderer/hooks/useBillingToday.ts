/** Today in the operator's billing time zone (YYYY-MM-DD): the day tariff dates and report periods are counted in. */
import { localDay } from '../../core/domain/local-time';
import { useQuery } from './useCommand';
import { useNow } from './useNow';
import { useCan } from './usePermissions';

export const fallbackTimeZone = 'Asia/Shanghai';

export function useBillingToday(): { today: string; timeZone: string; closeDay: number | null } {
  const can = useCan();
  // Customer service reads statements without billing.read: they get the default zone (the core's default too).
  const settings = useQuery('billing/settings', {}, { enabled: can('billing.read') });
  const now = useNow(60_000);
  const timeZone = settings.data?.timeZone ?? fallbackTimeZone;
  return { today: localDay(now, timeZone), timeZone, closeDay: settings.data?.closeDay ?? null };
}
