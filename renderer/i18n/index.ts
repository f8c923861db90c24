import i18n from 'i18next';
import { initReactI18next } from 'react-i18next';
import type { Language } from '../../core/api';
import { en } from './en';
import { zhCN } from './zh-CN';

export const languages: readonly { id: Language; label: string }[] = [
  { id: 'en', label: 'English' },
  { id: 'zh-CN', label: '简体中文' },
];

const languageStorage = 'reachback.language';

export function initialLanguage(): Language {
  const stored = localStorage.getItem(languageStorage);
  if (stored === 'en' || stored === 'zh-CN') return stored;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export function applyLanguage(language: Language): void {
  localStorage.setItem(languageStorage, language);
  document.documentElement.lang = language;
  void i18n.changeLanguage(language);
}

void i18n.use(initReactI18next).init({
  resources: { en: { translation: en }, 'zh-CN': { translation: zhCN } },
  lng: initialLanguage(),
  fallbackLng: 'en',
  supportedLngs: ['en', 'zh-CN'],
  // Resources are bundled, so initialise synchronously and render translated text on the first paint.
  initAsync: false,
  interpolation: { escapeValue: false },
  returnNull: false,
});
document.documentElement.lang = i18n.language;

export { i18n };
