/**
 * What the desk remembers while the agent moves between screens: whether the desk is open in this window, the
 * agent's state as the core tracks it, the shared settings, the agent's SIP settings and audio devices, and the
 * calls being worked on (with their message drafts, see workItems.ts).
 */
import { create } from 'zustand';
import type { DeskAgentView, DeskConfig, DeskMessageResult, DeskSipSettings } from '../../../core/api/desk-types';
import type { DevicePrefs } from './softphone';
import { clearDraft, loadWork, saveWork, type WorkItem } from './workItems';

const activeStorage = 'reachback.desk.active';
const devicesStorage = 'reachback.desk.devices';

function initialDevices(): DevicePrefs {
  try {
    const stored = JSON.parse(localStorage.getItem(devicesStorage) ?? 'null') as Partial<DevicePrefs> | null;
    return { microphone: stored?.microphone ?? '', speaker: stored?.speaker ?? '', ringer: stored?.ringer ?? '' };
  } catch {
    return { microphone: '', speaker: '', ringer: '' };
  }
}

export interface DeskState {
  /** The agent opened the desk in this window: the phone stays registered on other screens until sign-out. */
  active: boolean;
  /** The first desk/status answered. */
  loaded: boolean;
  loadError: unknown;
  agent: DeskAgentView | null;
  config: DeskConfig | null;
  hasSipSettings: boolean;
  settings: DeskSipSettings | null;
  devices: DevicePrefs;
  operatorId: number | null;
  work: WorkItem[];
  /** The call whose context and message form are shown. */
  selected: string | null;
  /** The phone settings dialog is open. */
  settingsOpen: boolean;

  activate(): void;
  deactivate(): void;
  setStatus(status: { agent: DeskAgentView; config: DeskConfig; hasSipSettings: boolean }): void;
  setAgent(agent: DeskAgentView): void;
  setLoadError(error: unknown): void;
  setSettings(settings: DeskSipSettings | null): void;
  setDevices(devices: DevicePrefs): void;
  setSettingsOpen(open: boolean): void;
  /** Loads the calls being worked on for this operator (after sign-in or a reload). */
  loadWork(operatorId: number): void;
  addWork(item: Omit<WorkItem, 'lookedUp' | 'saved'>): void;
  updateWork(callId: string, change: Partial<WorkItem>): void;
  messageSaved(callId: string, result: DeskMessageResult): void;
  /** The agent is done with a call: its item and draft go. */
  closeWork(callId: string): void;
  select(callId: string | null): void;
}

export const useDeskStore = create<DeskState>()((set, get) => {
  const persist = (work: WorkItem[]) => {
    const operatorId = get().operatorId;
    if (operatorId !== null) saveWork(operatorId, work);
  };
  return {
    active: sessionStorage.getItem(activeStorage) === '1',
    loaded: false,
    loadError: null,
    agent: null,
    config: null,
    hasSipSettings: false,
    settings: null,
    devices: initialDevices(),
    operatorId: null,
    work: [],
    selected: null,
    settingsOpen: false,

    activate() {
      sessionStorage.setItem(activeStorage, '1');
      if (!get().active) set({ active: true });
    },
    deactivate() {
      sessionStorage.removeItem(activeStorage);
      set({ active: false, loaded: false, agent: null, config: null, settings: null, hasSipSettings: false, loadError: null });
    },
    setStatus({ agent, config, hasSipSettings }) {
      set({ agent, config, hasSipSettings, loaded: true, loadError: null });
    },
    setAgent(agent) {
      set({ agent });
    },
    setLoadError(loadError) {
      set({ loadError });
    },
    setSettings(settings) {
      set({ settings, hasSipSettings: settings !== null || get().hasSipSettings });
    },
    setDevices(devices) {
      localStorage.setItem(devicesStorage, JSON.stringify(devices));
      set({ devices });
    },
    setSettingsOpen(settingsOpen) {
      set({ settingsOpen });
    },
    loadWork(operatorId) {
      if (get().operatorId === operatorId) return;
      const work = loadWork(operatorId);
      set({ operatorId, work, selected: work.at(-1)?.callId ?? null });
    },
    addWork(item) {
      const existing = get().work.find((w) => w.callId === item.callId);
      if (existing) return;
      const work = [...get().work, { ...item, lookedUp: null, saved: [] }];
      persist(work);
      set({ work });
    },
    updateWork(callId, change) {
      const work = get().work.map((w) => (w.callId === callId ? { ...w, ...change } : w));
      persist(work);
      set({ work });
    },
    messageSaved(callId, result) {
      const operatorId = get().operatorId;
      if (operatorId !== null) clearDraft(operatorId, callId);
      const work = get().work.map((w) => (w.callId === callId ? { ...w, saved: [...w.saved, result] } : w));
      persist(work);
      set({ work });
    },
    closeWork(callId) {
      const operatorId = get().operatorId;
      if (operatorId !== null) clearDraft(operatorId, callId);
      const work = get().work.filter((w) => w.callId !== callId);
      persist(work);
      const selected = get().selected === callId ? (work.at(-1)?.callId ?? null) : get().selected;
      set({ work, selected });
    },
    select(selected) {
      set({ selected });
    },
  };
});
