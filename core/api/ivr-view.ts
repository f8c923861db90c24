/** The IVR action as the network API and the Lab show it (mirrors core/domain/ivr's IvrAction). */
export interface PromptView {
  id: string;
  language: 'en' | 'zh-CN';
  text: string;
  /** A voice message to play (self-care), as a network API path. */
  audio?: string;
}

export type IvrActionView =
  | { type: 'collect'; prompts: PromptView[]; maxDigits: number; timeoutMs: number; terminator?: string }
  | { type: 'record'; prompts: PromptView[]; maxDurationMs: number }
  | { type: 'transfer'; target: 'agents'; headers: Record<string, string> }
  | { type: 'hangup'; prompts: PromptView[] };
