/** Matching a registration's AOR to a subscriber; the mapping itself is in core/domain/sip-address. */
import { toE164OrUndefined } from '../../domain/sip-address';
import { uriUser } from './sip-message';

export { aorFor, sipUserFor, toE164OrUndefined, type UserPartFormat } from '../../domain/sip-address';

/** Whether a registration's AOR names this subscriber, whichever user-part form the registrar used. */
export function aorMatches(aor: string, msisdn: string): boolean {
  const user = uriUser(aor);
  return user !== undefined && toE164OrUndefined(user) === msisdn;
}
