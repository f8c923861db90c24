/**
 * What the agent is working on: one item per call that rang at the desk (its headers, the number the agent looked
 * up, the messages saved) and the message draft being written for it. Both live in sessionStorage, keyed by the
 * operator and the SIP Call-ID, so a reload or a dropped connection loses nothing; a draft is removed only once
 * the core has stored the message.
 */
import type { DeskMessageResult } from '../../../core/api/desk-types';

export interface WorkItem {
  /** SIP Call-ID. */
  callId: string;
  /** From the INVITE's headers. */
  caller: string | null;
  called: string | null;
  session: string | null;
  receivedAt: number;
  /** The called number the agent looked up when the INVITE did not say (as typed), or null. */
  lookedUp: string | null;
  /** Messages saved for this call, newest last. */
  saved: DeskMessageResult[];
}

export interface MessageDraft {
  called: string;
  caller: string;
  callback: string;
  text: string;
  updatedAt: number;
}

const prefix = 'reachback.desk';
const maxItems = 20;

function workKey(operatorId: number): string {
  return `${prefix}.${operatorId}.work`;
}

function draftKey(operatorId: number, callId: string): string {
  return `${prefix}.${operatorId}.draft.${callId}`;
}

function read<T>(key: string): T | null {
  try {
    const text = sessionStorage.getItem(key);
    return text ? (JSON.parse(text) as T) : null;
  } catch {
    return null;
  }
}

function write(key: string, value: unknown): void {
  try {
    sessionStorage.setItem(key, JSON.stringify(value));
  } catch {
    // Storage full or blocked: the draft still lives in memory for this page.
  }
}

export function loadWork(operatorId: number): WorkItem[] {
  const items = read<WorkItem[]>(workKey(operatorId));
  return Array.isArray(items) ? items : [];
}

export function saveWork(operatorId: number, items: WorkItem[]): void {
  write(workKey(operatorId), items.slice(-maxItems));
}

export function loadDraft(operatorId: number, callId: string): MessageDraft | null {
  return read<MessageDraft>(draftKey(operatorId, callId));
}

export function saveDraft(operatorId: number, callId: string, draft: MessageDraft): void {
  write(draftKey(operatorId, callId), draft);
}

export function clearDraft(operatorId: number, callId: string): void {
  try {
    sessionStorage.removeItem(draftKey(operatorId, callId));
  } catch {
    // Nothing to clear.
  }
}

/** Whether a draft holds anything the agent wrote (not just the prefilled numbers). */
export function draftHasText(draft: MessageDraft | null): boolean {
  return !!draft && draft.text.trim() !== '';
}
