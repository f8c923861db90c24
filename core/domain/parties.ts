/**
 * Who may learn what, and whose settings win: the rules that involve both
 * parties of a call. Pure: the services load the profiles, these decide.
 */
import type { Party, PriorityRule, ServiceRules } from '../api/rules';
import type { IvrLanguage, IvrOption } from './ivr';
import { inWindow, minuteOfDay } from './local-time';

export type PrivacyMode = 'all' | 'whitelist' | 'nobody';

export interface Profile {
  msisdn: string;
  /** Active subscriber (a suspended or cancelled one has no services in effect). */
  active: boolean;
  language: IvrLanguage;
  tariff: string | null;
  services: { missedCallAlert: boolean; reachableAlert: boolean; voicemail: boolean };
  privacy: { mode: PrivacyMode; hidden: { from: string; to: string }[] };
  whitelist: ReadonlySet<string>;
  blacklist: ReadonlySet<string>;
  /** They recorded a personal greeting for their callers. */
  hasGreeting: boolean;
}

/** The priority rule for a call: the called party's plan override, then the caller's, then the global rule. */
export function priorityFor(rules: ServiceRules, called: Profile | null, calling: Profile | null): PriorityRule {
  const calledOverride = called?.tariff ? rules.priorityByTariff[called.tariff] : undefined;
  const callingOverride = calling?.tariff ? rules.priorityByTariff[calling.tariff] : undefined;
  return { ...rules.priority, ...callingOverride, ...calledOverride };
}

/** Which side's setting applies for one aspect: the winner's when both subscribe, otherwise the subscriber's. */
function winner(aspect: Party, called: Profile | null, calling: Profile | null): Profile | null {
  const bothActive = called?.active && calling?.active;
  if (bothActive) return aspect === 'called' ? called : calling;
  return called?.active ? called : calling?.active ? calling : null;
}

export function dialogueLanguage(
  priority: PriorityRule,
  called: Profile | null,
  calling: Profile | null,
  fallback: IvrLanguage,
): IvrLanguage {
  return winner(priority.dialogue, called, calling)?.language ?? fallback;
}

export interface CallFacts {
  caller: string;
  clir: boolean;
  at: number;
}

/** Blacklisted callers get no alert and no reachable notice, whatever else applies. */
export function isBlocked(called: Profile | null, call: CallFacts): boolean {
  return !call.clir && !!called?.blacklist.has(call.caller);
}

/**
 * (b) May the caller learn that the called party is reachable again? The
 * called party's privacy mode and hidden windows decide, unless the rule
 * lets the caller's setting win. CLIR callers never get a reachable alert.
 */
export function reachableAlertAllowed(
  rules: ServiceRules,
  priority: PriorityRule,
  called: Profile | null,
  calling: Profile | null,
  call: CallFacts,
  /** When the called party became reachable; null at call time, when hidden windows cannot be judged yet. */
  reachableAt: number | null,
): { allowed: boolean; reason: string } {
  if (call.clir) return { allowed: false, reason: 'caller ID restricted' };
  if (!calling?.active || !calling.services.reachableAlert) return { allowed: false, reason: 'caller has no reachable-alert service' };
  if (isBlocked(called, call)) return { allowed: false, reason: 'caller is blacklisted' };
  if (!called?.active) return { allowed: true, reason: 'called party sets no privacy' };
  if (priority.privacy === 'calling') return { allowed: true, reason: "caller's setting wins" };
  const { mode, hidden } = called.privacy;
  if (mode === 'nobody') return { allowed: false, reason: 'called party tells nobody' };
  if (mode === 'whitelist' && !called.whitelist.has(call.caller)) return { allowed: false, reason: 'caller is not on the whitelist' };
  if (reachableAt !== null) {
    const minute = minuteOfDay(reachableAt, rules.timeZone);
    if (hidden.some((w) => inWindow(minute, w.from, w.to))) return { allowed: false, reason: 'inside a hidden time window' };
  }
  return { allowed: true, reason: 'privacy allows it' };
}

/** The IVR menu for this call; empty means there is nothing to offer (plain announcement). */
export function offeredOptions(
  rules: ServiceRules,
  priority: PriorityRule,
  called: Profile | null,
  calling: Profile | null,
  call: CallFacts,
): IvrOption[] {
  if (isBlocked(called, call)) return [];
  const calledServes = !!called?.active && called.services.missedCallAlert;
  const options: IvrOption[] = [];
  if (called?.active && called.services.voicemail) options.push('1');
  if (calledServes && !call.clir) options.push('2');
  if (calledServes) options.push('3');
  // Hidden windows concern the moment the subscriber is back; they are judged when the alert is due.
  if (reachableAlertAllowed(rules, priority, called, calling, call, null).allowed) options.push('4');
  if (rules.manualSeat && (calledServes || options.length > 0)) options.push('0');
  return options;
}

/** (c) Who pays for a chargeable SMS: the winner when both subscribe, otherwise the subscriber who uses the service. */
export function chargeParty(priority: PriorityRule, called: Profile | null, calling: Profile | null, user: 'called' | 'calling'): string {
  if (called?.active && calling?.active) return (priority.charging === 'called' ? called : calling).msisdn;
  const party = user === 'called' ? called : calling;
  return party?.msisdn ?? (called ?? calling)!.msisdn;
}
