import { translator } from '../i18n.js';

/**
 * The province's address: '' for the process's own province, `/provinces/{id}` for another
 * (its dashboard at /provinces/{id}/dashboard/, its API beside it).
 */
export const PROVINCE_PATH = location.pathname.replace(/\/dashboard\/.*$/, '');

/** Where the session is kept in the tab: one per province, since the provinces share the browser's origin and each has users of its own. */
export const TOKEN_KEY = `token:${PROVINCE_PATH || '/'}`;

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
