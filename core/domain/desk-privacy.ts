/**
 * What an agent at the desk may tell a caller about the called party, and
 * whether a message for them can be taken: the called party's privacy
 * (mode, whitelist, hidden windows), the priority rule and the blacklist,
 * in the agent's words. Pure: the desk loads the profiles, this decides.
 */
import type { DeskPrivacyRule } from '../api/desk-types';
import type { ServiceRules } from '../api/rules';
import { isBlocked, priorityFor, type Profile } from './parties';

/** The rules for this caller (null: unknown or withheld). The first rule is always the one about reachability. */
export function deskPrivacyRules(rules: ServiceRules, called: Profile, calling: Profile | null, caller: string | null): DeskPrivacyRule[] {
  if (caller && isBlocked(called, { caller, clir: false, at: 0 })) {
    return [
      {
        code: 'caller-blocked',
        may: false,
        text: 'The subscriber has blacklisted this caller: take no message, and do not say whether or when they will be back.',
      },
    ];
  }
  const reachability = reachabilityRule(rules, called, calling, caller);
  if (!reachability.may) return [reachability];
  // Hidden windows only narrow what is allowed: they say nothing new when nothing may be said.
  const hidden = called.privacy.hidden.map((w): DeskPrivacyRule => ({
    code: 'hidden-window',
    may: false,
    text: `Between ${w.from} and ${w.to} the subscriber's return is hidden: do not tell anyone they are back at those times.`,
    params: { from: w.from, to: w.to },
  }));
  return [reachability, ...hidden];
}

function reachabilityRule(rules: ServiceRules, called: Profile, calling: Profile | null, caller: string | null): DeskPrivacyRule {
  const mayTell = 'you may tell them the subscriber cannot be reached now and will get the message as soon as their phone is on.';
  if (calling?.active && priorityFor(rules, called, calling).privacy === 'calling') {
    return { code: 'reachability-caller-wins', may: true, text: `The caller's own plan decides what they may learn: ${mayTell}` };
  }
  switch (called.privacy.mode) {
    case 'all':
      return { code: 'reachability-allowed', may: true, text: `The subscriber lets everyone know: ${mayTell}` };
    case 'whitelist':
      return caller && called.whitelist.has(caller)
        ? { code: 'reachability-whitelisted', may: true, text: `This caller is on the subscriber's whitelist: ${mayTell}` }
        : {
            code: 'reachability-whitelist-only',
            may: false,
            text: "Do not tell the caller whether or when the subscriber will be back: only the people on the subscriber's whitelist may know, and this caller is not one of them.",
          };
    case 'nobody':
      return {
        code: 'reachability-nobody',
        may: false,
        text: 'Do not tell the caller when the subscriber will be back, or whether their phone is on.',
      };
  }
}

export type MessageRefusal = { reason: 'suspended' | 'no-missed-call-alert' | 'caller-blocked'; field: 'called' | 'caller'; text: string };

/** Why a message taken for this called party would not be delivered, or null when it would be. */
export function deskMessageRefusal(called: Profile, caller: string | null): MessageRefusal | null {
  if (!called.active)
    return { reason: 'suspended', field: 'called', text: `${called.msisdn} is suspended: a message would not be delivered` };
  if (!called.services.missedCallAlert)
    return {
      reason: 'no-missed-call-alert',
      field: 'called',
      text: `${called.msisdn} has no missed-call alert service: a message would not be delivered`,
    };
  if (caller && isBlocked(called, { caller, clir: false, at: 0 }))
    return { reason: 'caller-blocked', field: 'caller', text: `${called.msisdn} has blacklisted ${caller}: no message can be taken` };
  return null;
}
