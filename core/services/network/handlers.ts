/** Console commands for the network links: Settings → SMSC, Settings → SIP and their live status. */
import { smscSettingsSchema, type SmscSettings } from '../../api/network-settings';
import type { Handlers } from '../context';
import { e164 } from '../engine/numbers';

/** What the console may see: everything but the password. */
function visible(settings: SmscSettings): { settings: SmscSettings; hasPassword: boolean } {
  const hasPassword = Boolean(settings.link?.password);
  return { settings: settings.link ? { ...settings, link: { ...settings.link, password: '' } } : settings, hasPassword };
}

export const networkHandlers: Pick<Handlers, 'smsc/get' | 'smsc/update' | 'sip/get' | 'sip/update' | 'network/status'> = {
  'smsc/get': async (_input, ctx) => visible(ctx.services.settings.smsc),

  'smsc/update': async (input, ctx) => {
    const { settings, clock, links, bus } = ctx.services;
    const before = settings.smsc;
    const keptPassword = input.link && !input.link.password ? (before.link?.password ?? '') : input.link?.password;
    const next = smscSettingsSchema.parse({ ...input, link: input.link && { ...input.link, password: keptPassword } });
    await ctx.write(async (trx, audit) => {
      await settings.save(trx, 'smsc', next, clock.now());
      await audit({ target: 'settings:smsc', before, after: next });
    });
    await settings.load();
    await links.smsc.apply(settings.smsc);
    bus.publish('settings/changed', {});
    return visible(settings.smsc);
  },

  'sip/get': async (_input, ctx) => ctx.services.settings.sip,

  'sip/update': async (input, ctx) => {
    const { settings, clock, links, bus } = ctx.services;
    const before = settings.sip;
    // Listed numbers are stored in E.164, as everywhere else; a bad one is refused by its place in the list.
    const code = settings.serviceRules.defaultCountryCode;
    const next = { ...input, numbers: input.numbers.map((n, i) => e164(n, `numbers.${i}`, code)) };
    await ctx.write(async (trx, audit) => {
      await settings.save(trx, 'sip', next, clock.now());
      await audit({ target: 'settings:sip', before, after: next });
    });
    await settings.load();
    await links.sip.apply(settings.sip);
    bus.publish('settings/changed', {});
    return settings.sip;
  },

  'network/status': async (_input, ctx) => ({ smsc: ctx.services.links.smsc.status(), sip: ctx.services.links.sip.status() }),
};
