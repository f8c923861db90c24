/**
 * The SMS wordings, per language, with {placeholders}. The defaults follow
 * the service description's wordings; operators edit them in the console,
 * and an edited template may use only its own placeholders.
 */
export type TemplateLanguage = 'en' | 'zh-CN';
export const templateLanguages: TemplateLanguage[] = ['en', 'zh-CN'];

interface TemplateSpec {
  /** Placeholders this template may use. */
  placeholders: readonly string[];
  en: string;
  'zh-CN': string;
}

const callerFields = ['caller', 'countTimes', 'count', 'firstTime', 'lastTime', 'firstTimeNote'] as const;

export const templateSpecs = {
  'opening-reminder': {
    placeholders: ['serviceName', 'shortCode'],
    en: 'Your {serviceName} service is now open, free of charge. Reply HELP to {shortCode} for the commands.',
    'zh-CN': '尊敬的用户，您的{serviceName}业务已开通，本业务免费。回复HELP至{shortCode}查看指令。',
  },
  'service-closed': {
    placeholders: ['serviceName'],
    en: 'Your {serviceName} service has been closed.',
    'zh-CN': '您的{serviceName}业务已关闭。',
  },
  'own-number': {
    placeholders: callerFields,
    en: 'I called you {countTimes} before {lastTime}{firstTimeNote}, and I am waiting for your call back. Please contact me.',
    'zh-CN': '我在{lastTime}前给您打过{countTimes}电话{firstTimeNote}，正在等您回电，请与我联系。',
  },
  callback: {
    placeholders: [...callerFields, 'callback'],
    en: '{caller} called you {countTimes} before {lastTime}{firstTimeNote}. Please dial {callback} to contact him.',
    'zh-CN': '{caller}在{lastTime}前给您打过{countTimes}电话{firstTimeNote}，请拨打{callback}与其联系。',
  },
  'voice-message': {
    placeholders: [...callerFields, 'voicemailNumber'],
    en: '{caller} left you a voice message at {lastTime}. Call {voicemailNumber} to listen to it.',
    'zh-CN': '{caller}于{lastTime}给您留了语音留言，请拨打{voicemailNumber}收听。',
  },
  'agent-message': {
    placeholders: [...callerFields, 'message', 'callbackNote'],
    en: 'Message from {caller} at {lastTime}, taken by our operator: {message}{callbackNote}',
    'zh-CN': '{caller}于{lastTime}通过人工台给您留言：{message}{callbackNote}',
  },
  'missed-summary': {
    placeholders: ['count', 'shortCode', 'windowHours', 'queryNumber', 'detailPrice'],
    en: 'You have {count} missed calls. For details, reply D to {shortCode} within {windowHours} hours, or call {queryNumber} for enquiry (each detail message is {detailPrice} yuan). This message is free.',
    'zh-CN':
      '您有{count}个未接来电。如需详情，请在{windowHours}小时内回复D至{shortCode}，或拨打{queryNumber}查询（每条详情信息{detailPrice}元）。本条信息免费。',
  },
  'missed-detail': {
    placeholders: ['lines'],
    en: 'Missed calls:\n{lines}',
    'zh-CN': '未接来电：\n{lines}',
  },
  'missed-detail-line': {
    placeholders: callerFields,
    en: '{caller}: {countTimes}, last {lastTime}{firstTimeNote}',
    'zh-CN': '{caller}：{countTimes}，最近{lastTime}{firstTimeNote}',
  },
  'detail-none': {
    placeholders: [],
    en: 'You have no missed calls waiting. This message is free.',
    'zh-CN': '您目前没有待查看的未接来电。本条信息免费。',
  },
  'detail-expired': {
    placeholders: ['windowHours'],
    en: 'The details of your missed calls are no longer available: they are kept for {windowHours} hours after the summary. This message is free.',
    'zh-CN': '您的未接来电详情已过期（摘要发出后保留{windowHours}小时）。本条信息免费。',
  },
  'reachable-alert': {
    placeholders: ['user', 'lastTime', 'firstTime', 'count', 'countTimes'],
    en: 'The user {user} you dialed at {lastTime} is now on, please contact him.',
    'zh-CN': '您在{lastTime}拨打的用户{user}现已开机，请与其联系。',
  },
  help: {
    placeholders: ['shortCode'],
    en: 'Commands to {shortCode}: D details; Q status; OPEN MCA/RA; CLOSE MCA/RA; BL+number, BL-number; WL+number, WL-number; PRIVACY ALL/WL/NONE; LANG EN/ZH. Free.',
    'zh-CN':
      '发送至{shortCode}：D 详情；Q 查询；OPEN MCA/RA 开通；CLOSE MCA/RA 取消；BL+号码、BL-号码 黑名单；WL+号码、WL-号码 白名单；PRIVACY ALL/WL/NONE 隐私；LANG EN/ZH 语言。免费。',
  },
  'command-done': {
    placeholders: ['summary'],
    en: 'Done: {summary}. This message is free.',
    'zh-CN': '已办理：{summary}。本条信息免费。',
  },
  'command-refused': {
    placeholders: ['reason'],
    en: 'Not done: {reason}. Reply HELP for the commands. This message is free.',
    'zh-CN': '未办理：{reason}。回复HELP查看指令。本条信息免费。',
  },
  'cap-warning': {
    placeholders: ['percent', 'cap', 'spent'],
    en: 'Your charges this billing cycle have reached {percent}% of your {cap} cap ({spent} so far). Use beyond the cap is free of charge. This message is free.',
    'zh-CN': '尊敬的用户，您本计费周期的费用已达到封顶额{cap}的{percent}%（已产生{spent}），超出封顶部分不再收费。本条信息免费。',
  },
  status: {
    placeholders: ['missedCallAlert', 'reachableAlert', 'privacy', 'pending'],
    en: 'Missed-call alerts: {missedCallAlert}. Reachable alerts: {reachableAlert}. Privacy: {privacy}. Missed calls waiting: {pending}.',
    'zh-CN': '来电提醒：{missedCallAlert}；开机提醒：{reachableAlert}；隐私：{privacy}；待查看未接来电：{pending}。',
  },
} as const satisfies Record<string, TemplateSpec>;

export type TemplateKey = keyof typeof templateSpecs;
export const templateKeys = Object.keys(templateSpecs) as TemplateKey[];

export function isTemplateKey(key: string): key is TemplateKey {
  return Object.prototype.hasOwnProperty.call(templateSpecs, key);
}

const placeholderPattern = /\{([A-Za-z]+)\}/g;

/** Placeholders in a text that the template does not offer; empty when the text is usable. */
export function unknownPlaceholders(key: TemplateKey, text: string): string[] {
  const allowed = new Set<string>(templateSpecs[key].placeholders);
  return [...text.matchAll(placeholderPattern)].map((m) => m[1]!).filter((name) => !allowed.has(name));
}

export function renderTemplate(text: string, values: Record<string, string | number>): string {
  return text.replace(placeholderPattern, (whole, name: string) => (name in values ? String(values[name]) : whole));
}

/** Words the SMS texts need in each language. */
export const smsWords = {
  en: {
    unknownNumber: 'unknown number',
    languageName: 'English',
    on: 'on',
    off: 'off',
    privacy: { all: 'everyone', whitelist: 'whitelist only', nobody: 'nobody' },
    services: { missedCallAlert: 'missed-call alert', reachableAlert: 'reachable alert', voicemail: 'voicemail' },
    times: (n: number) => (n === 1 ? 'once' : `${n} times`),
    firstNote: (first: string) => ` (first at ${first})`,
    callbackNote: (number: string) => ` Call back on ${number}.`,
  },
  'zh-CN': {
    unknownNumber: '未知号码',
    languageName: '中文',
    on: '已开通',
    off: '未开通',
    privacy: { all: '所有人', whitelist: '仅白名单', nobody: '不告知' },
    services: { missedCallAlert: '来电提醒', reachableAlert: '开机提醒', voicemail: '语音信箱' },
    times: (n: number) => `${n}次`,
    firstNote: (first: string) => `（首次${first}）`,
    callbackNote: (number: string) => `（回电请拨${number}）`,
  },
} as const;
