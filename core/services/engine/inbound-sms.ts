/**
 * SMS from subscribers to the short code: D for the details of missed calls
 * (charged per the tariff; the D itself is free), the status query and
 * self-management commands. Anything unrecognised gets the free help text.
 */
import { ApiError } from '../../api';
import type { ServiceName } from '../../api/engine-types';
import { composeDetails, type CallForNotice } from '../../domain/compose';
import { parseSmsCommand } from '../../domain/sms-commands';
import { renderTemplate, smsWords, type TemplateKey, type TemplateLanguage } from '../../domain/sms-templates';
import { rulesOf, type EngineDeps, type Trx } from './deps';
import { composeContext } from './notifications';
import { e164 } from './numbers';
import { pendingCallCount } from './queries';
import { enqueueSms } from './sms-queue';
import { changeList, getSubscriber, provisionSubscriber } from './subscribers';

export interface InboundResult {
  command: string;
  replies: number;
}

export async function handleInboundSms(
  trx: Trx,
  deps: EngineDeps,
  sms: { from: string; to: string; text: string; at: number },
): Promise<InboundResult> {
  const rules = rulesOf(deps);
  const from = e164(sms.from, 'from', rules.defaultCountryCode);
  if (sms.to.replace(/\D/g, '') !== rules.shortCode) {
    throw new ApiError('validation', `to: ${sms.to} is not this service's short code (${rules.shortCode})`, { field: 'to' });
  }
  const subscriber = await getSubscriber(trx, from);
  let language: TemplateLanguage = subscriber?.language ?? 'zh-CN';
  const words = smsWords[language];
  const command = parseSmsCommand(sms.text, rules.keywordAliases);
  let replies = 0;
  const reply = async (key: TemplateKey, values: Record<string, string | number> = {}, kind: 'reply' | 'missed-detail' = 'reply') => {
    const text = renderTemplate(deps.templates.get(key, language), values);
    await enqueueSms(
      trx,
      deps,
      { kind, sender: rules.shortCode, recipient: from, text, chargeParty: from, chargeable: kind === 'missed-detail', validityHours: 24 },
      sms.at,
    );
    replies++;
  };
  const refuse = (reason: string) => reply('command-refused', { reason });
  const needSubscriber = async () => {
    if (!subscriber || subscriber.state === 'cancelled') {
      await refuse(language === 'en' ? 'you do not subscribe to the service yet; send OPEN to start' : '您尚未开通本业务，请发送OPEN开通');
      return null;
    }
    return subscriber;
  };

  switch (command.command) {
    case 'details': {
      const digest = await trx.selectFrom('digests').selectAll().where('msisdn', '=', from).orderBy('sent_at', 'desc').executeTakeFirst();
      if (!digest) await reply('detail-none');
      else if (Number(digest.expires_at) <= sms.at) await reply('detail-expired', { windowHours: rules.expiryHours.detailWindow });
      else {
        const ids = JSON.parse(digest.call_ids) as number[];
        const rows = await trx.selectFrom('calls').selectAll().where('id', 'in', ids).orderBy('at').execute();
        const calls: CallForNotice[] = rows.map((c) => ({
          id: c.id,
          caller: c.caller,
          clir: c.clir === 1,
          at: Number(c.at),
          outcome: 'gave-up',
          callback: c.callback,
          message: c.message,
        }));
        for (const part of composeDetails(composeContext(deps, language), calls)) {
          await enqueueSms(
            trx,
            deps,
            {
              kind: 'missed-detail',
              sender: rules.shortCode,
              recipient: from,
              text: part.text,
              callIds: part.callIds,
              chargeParty: from,
              chargeable: true,
              validityHours: 24,
            },
            sms.at,
          );
          replies++;
        }
        await trx.updateTable('digests').set({ detailed_at: sms.at }).where('id', '=', digest.id).execute();
      }
      break;
    }
    case 'query': {
      const s = await needSubscriber();
      if (!s) break;
      const pending = await pendingCallCount(trx, from);
      await reply('status', {
        missedCallAlert: s.services.missedCallAlert ? words.on : words.off,
        reachableAlert: s.services.reachableAlert ? words.on : words.off,
        privacy: words.privacy[s.privacy.mode],
        pending,
      });
      break;
    }
    case 'open':
    case 'close': {
      const open = command.command === 'open';
      if (!open && !(await needSubscriber())) break;
      const base = subscriber ?? {
        services: { missedCallAlert: false, reachableAlert: false, voicemail: false },
        language,
        privacy: { mode: 'all' as const, hidden: [] },
      };
      const services = { ...base.services, [command.service]: open };
      const result = await provisionSubscriber(trx, deps, from, { ...base, services, state: 'active' }, sms.at);
      // The opening reminder is the reply to OPEN; CLOSE gets its own confirmation.
      if (!open && result.closed.length) await reply('service-closed', { serviceName: words.services[command.service as ServiceName] });
      if (open && !result.opened.length)
        await reply('command-done', { summary: words.services[command.service as ServiceName] + ' ' + words.on });
      // The opening reminder answers OPEN, so it counts as a reply.
      replies += result.opened.length;
      break;
    }
    case 'blacklist-add':
    case 'blacklist-remove':
    case 'whitelist-add':
    case 'whitelist-remove': {
      if (!(await needSubscriber())) break;
      const list = command.command.startsWith('blacklist') ? 'blacklist' : 'whitelist';
      const add = command.command.endsWith('add');
      try {
        const { number } = await changeList(trx, deps, from, list, command.number, add, sms.at);
        await reply('command-done', { summary: `${command.command.toUpperCase()} ${number}` });
      } catch (error) {
        if (!(error instanceof ApiError)) throw error;
        await refuse(error.message.replace(/^number: /, ''));
      }
      break;
    }
    case 'privacy':
    case 'language': {
      const s = await needSubscriber();
      if (!s) break;
      const change = command.command === 'privacy' ? { privacy: { ...s.privacy, mode: command.mode } } : { language: command.language };
      await provisionSubscriber(trx, deps, from, { ...s, ...change }, sms.at);
      if (command.command === 'language') {
        // Answer in the language just chosen: that is the proof it took effect.
        language = command.language;
        await reply('command-done', { summary: smsWords[language].languageName });
      } else await reply('command-done', { summary: words.privacy[command.mode] });
      break;
    }
    case 'help':
    case 'unknown':
      await reply('help', { shortCode: rules.shortCode });
      break;
  }
  deps.smsQueued();
  return { command: command.command, replies };
}
