import { translator } from '../i18n.js';

/**
 * Where the session is kept in the tab: one per province, since the provinces a process serves
 * share the browser's origin (/provinces/{id}/dashboard/) and each has users of its own.
 */
export const TOKEN_KEY = `token:${location.pathname.replace(/\/dashboard\/.*$/, '') || '/'}`;

/** Who is signed in, in which language: shared by every screen. */
export const state = {
  language: localStorage.getItem('language') === 'en' ? 'en' : 'vi',
  token: sessionStorage.getItem(TOKEN_KEY),
  user: null,
  charts: [],
};

/** The current language's words and formats; screens read it afresh on every render. */
export let words = translator(state.language);

export function setLanguage(language) {
  state.language = language;
  localStorage.setItem('language', language);
  words = translator(language);
}

export const hasRole = (...roles) => roles.some((role) => state.user?.roles.includes(role));

/** Today in Vietnam (UTC+7), as the API dates services. */
export const today = () => new Date(Date.now() + 7 * 3_600_000).toISOString().slice(0, 10);

/** Tells the page's frame that a command recorded something: the queues' counts and the budget's notices are read again. */
export const recorded = () => document.dispatchEvent(new CustomEvent('recorded'));

/** The year whose figures a screen opens on: this year. */
export const thisYear = () => today().slice(0, 4);
