/**
 * What the IVR says, per language. The media server plays `audio` when a
 * prompt has it and speaks (or looks up a recording for) `id` otherwise.
 */
export type IvrLanguage = 'en' | 'zh-CN';

export interface Prompt {
  id: string;
  language: IvrLanguage;
  text: string;
  /** A recording to play, as a network API path (voice messages, greetings). */
  audio?: string;
}

const promptTexts: Record<string, Record<IvrLanguage, string>> = {
  unreachable: {
    en: 'The subscriber you dialed cannot be connected temporarily. If you need the reminder service, please choose after the beep; otherwise please hang up.',
    'zh-CN': '您拨打的用户暂时无法接通。如需提醒服务，请在提示音后按键选择，否则请直接挂机。',
  },
  'option-1': { en: 'Press 1 to leave a voice message.', 'zh-CN': '留言请按1。' },
  'option-2': { en: 'Press 2 to leave your own number.', 'zh-CN': '留下您的本机号码请按2。' },
  'option-3': { en: 'Press 3 to leave another number to call you back on.', 'zh-CN': '留下其他回电号码请按3。' },
  'option-4': { en: 'Press 4 to be told when the subscriber is back.', 'zh-CN': '对方开机时通知您请按4。' },
  'option-0': { en: 'Press 0 to talk to an operator.', 'zh-CN': '转人工服务请按0。' },
  beep: { en: '[beep]', 'zh-CN': '[提示音]' },
  invalid: { en: 'That key is not an option.', 'zh-CN': '您的按键无效。' },
  'record-after-beep': {
    en: 'Please leave your message after the beep. Hang up when you are done.',
    'zh-CN': '请在提示音后留言，留言完毕请挂机。',
  },
  'enter-callback': {
    en: 'Please enter the number to call you back on, then press the hash key.',
    'zh-CN': '请输入回电号码，以井号键结束。',
  },
  'callback-invalid': { en: 'That is not a number we can call.', 'zh-CN': '该号码无效。' },
  'callback-confirm': {
    en: 'You entered {number}. Press 1 to confirm, or 2 to enter it again.',
    'zh-CN': '您输入的号码是{number}。确认请按1，重新输入请按2。',
  },
  'thanks-own-number': { en: 'Thank you. The subscriber will be told you called.', 'zh-CN': '谢谢。我们会通知对方您来过电话。' },
  'thanks-callback': { en: 'Thank you. The subscriber will be asked to call you back.', 'zh-CN': '谢谢。我们会请对方给您回电。' },
  'thanks-voice': { en: 'Thank you. Your message will be delivered.', 'zh-CN': '谢谢，您的留言将转达给对方。' },
  'thanks-reachable': {
    en: 'Thank you. We will send you an SMS when the subscriber is back.',
    'zh-CN': '谢谢。对方开机后我们将短信通知您。',
  },
  'connecting-operator': { en: 'Connecting you to an operator.', 'zh-CN': '正在为您转接人工服务。' },
  goodbye: { en: 'Goodbye.', 'zh-CN': '再见。' },
  // The called subscriber's own greeting, played before the menu.
  greeting: { en: "[the subscriber's personal greeting]", 'zh-CN': '[机主的个人问候语]' },
  'no-service': {
    en: 'The subscriber you dialed cannot be connected temporarily. Please call again later.',
    'zh-CN': '您拨打的用户暂时无法接通，请稍后再拨。',
  },
  // Self-care: the subscriber calls the voicemail number to manage the service.
  'selfcare-welcome': { en: 'Welcome to the missed-call reminder service.', 'zh-CN': '欢迎使用来电提醒业务。' },
  'selfcare-identify': {
    en: 'Please enter your mobile number, then press the hash key.',
    'zh-CN': '请输入您的手机号码，以井号键结束。',
  },
  'selfcare-not-subscriber': { en: 'That number does not use this service.', 'zh-CN': '该号码未开通本业务。' },
  'selfcare-enter-pin': { en: 'Please enter your PIN, then press the hash key.', 'zh-CN': '请输入密码，以井号键结束。' },
  'selfcare-wrong-pin': { en: 'That PIN is not correct.', 'zh-CN': '密码错误。' },
  'selfcare-pin-locked': {
    en: 'Your PIN is locked after too many wrong attempts. Please try again later or call customer service.',
    'zh-CN': '密码错误次数过多，已被锁定。请稍后再试或联系客服。',
  },
  'selfcare-no-pin': {
    en: 'You have not set a PIN yet. Please call from your own phone to set one.',
    'zh-CN': '您尚未设置密码，请用本机拨打设置。',
  },
  'selfcare-choose-pin': {
    en: 'Please choose a PIN of 4 to 8 digits, then press the hash key.',
    'zh-CN': '请设置4到8位数字密码，以井号键结束。',
  },
  'selfcare-repeat-pin': { en: 'Please enter the same PIN again, then press the hash key.', 'zh-CN': '请再次输入密码，以井号键结束。' },
  'selfcare-pin-mismatch': { en: 'The two PINs do not match.', 'zh-CN': '两次输入的密码不一致。' },
  'selfcare-pin-invalid': { en: 'A PIN has 4 to 8 digits.', 'zh-CN': '密码须为4到8位数字。' },
  'selfcare-pin-saved': { en: 'Your PIN is saved.', 'zh-CN': '密码已设置。' },
  'selfcare-main': {
    en: 'Press 1 for your voice messages, 2 for your blacklist, 3 for your whitelist, 4 for privacy, 5 to change your PIN, 6 for your personal greeting, or 0 to end the call.',
    'zh-CN': '收听语音留言请按1，黑名单请按2，白名单请按3，隐私设置请按4，修改密码请按5，个人问候语请按6，结束请按0。',
  },
  'selfcare-voice-count': {
    en: 'Voice messages: {count}, new: {unheard}.',
    'zh-CN': '您有{count}条语音留言，其中{unheard}条新留言。',
  },
  'selfcare-no-voice': { en: 'You have no voice messages.', 'zh-CN': '您没有语音留言。' },
  'selfcare-voice-header': { en: 'Message {n}, from {from}, at {time}.', 'zh-CN': '第{n}条留言，来自{from}，时间{time}。' },
  'selfcare-voice-audio': { en: '[voice message]', 'zh-CN': '[语音留言]' },
  'selfcare-voice-options': {
    en: 'Press 1 to hear it again, 2 for the next message, 3 to delete it, or star for the main menu.',
    'zh-CN': '重听请按1，下一条请按2，删除请按3，返回主菜单请按星号键。',
  },
  'selfcare-voice-deleted': { en: 'Message deleted.', 'zh-CN': '留言已删除。' },
  'selfcare-voice-end': { en: 'There are no more messages.', 'zh-CN': '没有更多留言了。' },
  'selfcare-list-black': {
    en: 'Numbers on your blacklist: {count}. Press 1 to add a number, 2 to remove one, or star for the main menu.',
    'zh-CN': '您的黑名单有{count}个号码。添加请按1，删除请按2，返回主菜单请按星号键。',
  },
  'selfcare-list-white': {
    en: 'Numbers on your whitelist: {count}. Press 1 to add a number, 2 to remove one, or star for the main menu.',
    'zh-CN': '您的白名单有{count}个号码。添加请按1，删除请按2，返回主菜单请按星号键。',
  },
  'selfcare-list-enter': { en: 'Please enter the number, then press the hash key.', 'zh-CN': '请输入号码，以井号键结束。' },
  'selfcare-list-full': { en: 'The list is full.', 'zh-CN': '名单已满。' },
  'selfcare-list-not-found': { en: '{number} is not on the list.', 'zh-CN': '{number}不在名单中。' },
  'selfcare-list-own': { en: 'You cannot list your own number.', 'zh-CN': '不能添加本机号码。' },
  'selfcare-list-added': { en: '{number} is added.', 'zh-CN': '{number}已添加。' },
  'selfcare-list-removed': { en: '{number} is removed.', 'zh-CN': '{number}已删除。' },
  'selfcare-privacy': {
    en: 'Who may learn that you are back: now {mode}. Press 1 for everyone, 2 for your whitelist only, 3 for nobody, or star for the main menu.',
    'zh-CN': '开机提醒对象：当前为{mode}。所有人请按1，仅白名单请按2，任何人都不请按3，返回主菜单请按星号键。',
  },
  'privacy-all': { en: 'everyone', 'zh-CN': '所有人' },
  'privacy-whitelist': { en: 'your whitelist only', 'zh-CN': '仅白名单' },
  'privacy-nobody': { en: 'nobody', 'zh-CN': '任何人都不' },
  'selfcare-privacy-saved': { en: 'Saved: {mode}.', 'zh-CN': '已设置为{mode}。' },
  'selfcare-greeting-set': { en: 'Your personal greeting was recorded on {time}.', 'zh-CN': '您的个人问候语录制于{time}。' },
  'selfcare-greeting-none': {
    en: 'You have no personal greeting; callers hear the standard announcement.',
    'zh-CN': '您还没有个人问候语，来电者听到的是系统默认提示。',
  },
  'selfcare-greeting-options': {
    en: 'Press 1 to listen to it, 2 to record a new one, 3 to delete it, or star for the main menu.',
    'zh-CN': '收听请按1，重新录制请按2，删除请按3，返回主菜单请按星号键。',
  },
  'selfcare-greeting-options-none': {
    en: 'Press 2 to record one, or star for the main menu.',
    'zh-CN': '录制问候语请按2，返回主菜单请按星号键。',
  },
  'selfcare-greeting-audio': { en: '[your greeting]', 'zh-CN': '[您的问候语]' },
  'selfcare-greeting-record': {
    en: 'Please record your greeting after the tone, and press the hash key when you are done.',
    'zh-CN': '请在提示音后录制您的问候语，录完请按井号键。',
  },
  'selfcare-greeting-new': { en: '[your new greeting]', 'zh-CN': '[您刚录制的问候语]' },
  'selfcare-greeting-review': {
    en: 'Press 1 to keep this greeting, 2 to record it again, or 3 to cancel.',
    'zh-CN': '保存请按1，重新录制请按2，取消请按3。',
  },
  'selfcare-greeting-not-recorded': { en: 'Nothing was recorded.', 'zh-CN': '没有录到内容。' },
  'selfcare-greeting-saved': {
    en: 'Your greeting is saved. Callers will hear it when you cannot be reached.',
    'zh-CN': '问候语已保存。您无法接通时，来电者将听到这段问候语。',
  },
  'selfcare-greeting-unchanged': { en: 'Your greeting is unchanged.', 'zh-CN': '问候语未作更改。' },
  'selfcare-greeting-delete-confirm': {
    en: 'Press 1 to delete your greeting, or 2 to keep it.',
    'zh-CN': '确认删除问候语请按1，保留请按2。',
  },
  'selfcare-greeting-deleted': {
    en: 'Your greeting is deleted. Callers will hear the standard announcement.',
    'zh-CN': '问候语已删除，来电者将听到系统默认提示。',
  },
  'unknown-number': { en: 'an unknown number', 'zh-CN': '未知号码' },
};

/** Every prompt id, for the API document's check. */
export const promptIds = (): string[] => Object.keys(promptTexts);

export function prompt(id: string, language: IvrLanguage, values: Record<string, string> = {}): Prompt {
  const text = (promptTexts[id]?.[language] ?? id).replace(/\{(\w+)\}/g, (_, name: string) => values[name] ?? '');
  return { id, language, text };
}
