import type { ConnectionSlice } from './connectionSlice';
import type { SessionSlice } from './sessionSlice';
import type { UiSlice } from './uiSlice';

export type AppState = SessionSlice & ConnectionSlice & UiSlice;
