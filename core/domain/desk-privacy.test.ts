/** What an agent may say about the called party, and when a message can be taken. */
import { describe, expect, it } from 'vitest';
import { defaultServiceRules, type ServiceRules } from '../api/rules';
import { deskMessageRefusal, deskPrivacyRules } from './desk-privacy';
import type { Profile } from './parties';

const called = (overrides: Partial<Profile> = {}): Profile => ({
  msisdn: '+8613800138000',
  active: true,
  language: 'en',
  tariff: null,
  services: { missedCallAlert: true, reachableAlert: false, voicemail: false },
  privacy: { mode: 'all', hidden: [] },
  whitelist: new Set(),
  blacklist: new Set(),
  hasGreeting: false,
  ...overrides,
});
const caller = '+8613900139000';
const codes = (rules: ServiceRules, profile: Profile, calling: Profile | null = null, who: string | null = caller) =>
  deskPrivacyRules(rules, profile, calling, who).map((r) => r.code);

describe('desk privacy', () => {
  it('follows the privacy mode, the whitelist and the hidden windows', () => {
    const hidden = [{ from: '22:00', to: '07:00' }];
    expect(codes(defaultServiceRules, called({ privacy: { mode: 'all', hidden } }))).toEqual(['reachability-allowed', 'hidden-window']);
    expect(codes(defaultServiceRules, called({ privacy: { mode: 'nobody', hidden } }))).toEqual(['reachability-nobody']);
    const whitelist = called({ privacy: { mode: 'whitelist', hidden: [] }, whitelist: new Set([caller]) });
    expect(codes(defaultServiceRules, whitelist)).toEqual(['reachability-whitelisted']);
    expect(codes(defaultServiceRules, whitelist, null, null)).toEqual(['reachability-whitelist-only']);
  });

  it('lets a subscribing caller’s plan decide when the priority rule says so, and puts a blacklisted caller first', () => {
    const callerWins: ServiceRules = { ...defaultServiceRules, priority: { ...defaultServiceRules.priority, privacy: 'calling' } };
    const calling = called({ msisdn: caller });
    expect(codes(callerWins, called({ privacy: { mode: 'nobody', hidden: [] } }), calling)).toEqual(['reachability-caller-wins']);
    expect(codes(callerWins, called({ blacklist: new Set([caller]) }), calling)).toEqual(['caller-blocked']);
  });

  it('refuses messages that would not be delivered, and the blacklisted caller’s', () => {
    expect(deskMessageRefusal(called(), caller)).toBeNull();
    expect(deskMessageRefusal(called({ active: false }), caller)?.reason).toBe('suspended');
    expect(deskMessageRefusal(called({ services: { missedCallAlert: false, reachableAlert: true, voicemail: true } }), null)).toMatchObject(
      {
        reason: 'no-missed-call-alert',
        field: 'called',
      },
    );
    expect(deskMessageRefusal(called({ blacklist: new Set([caller]) }), caller)).toMatchObject({
      reason: 'caller-blocked',
      field: 'caller',
    });
    expect(deskMessageRefusal(called({ blacklist: new Set([caller]) }), null)).toBeNull();
  });
});
