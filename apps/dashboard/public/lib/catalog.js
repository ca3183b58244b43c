import { api } from './api.js';
import { state, today } from './state.js';

/**
 * Regime names as the policy catalog the API serves writes them: "Vietnamese (English)". A
 * regime id (h.fixed) is named by the latest version that has it; a report's letter (h) by its
 * one regime, or by what its variants' names share.
 */
let versions = [];

export async function loadCatalog() {
  versions = await api('/policy-versions');
  return versions;
}

/** The version in force today: the latest that has begun. */
export const versionInForce = () => [...versions].reverse().find((version) => version.effectiveFrom <= today()) ?? versions[versions.length - 1];

function inLanguage(name) {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(name);
  if (!match) return name;
  return state.language === 'en' ? match[2].charAt(0).toUpperCase() + match[2].slice(1) : match[1];
}

function regimesNamed() {
  const byId = new Map();
  for (const version of versions) for (const regime of version.regimes) byId.set(regime.id, regime);
  return byId;
}

export function regimeName(id) {
  const regime = regimesNamed().get(id);
  return regime ? inLanguage(regime.name) : id;
}

function shared(names) {
  const split = names.map((name) => name.split(/\s+/));
  const common = [];
  for (let i = 0; split.every((words) => i < words.length && words[i] === split[0][i]); i++) common.push(split[0][i]);
  return common.length >= 2 ? common.join(' ').replace(/[,;:]$/, '') : names.join(' / ');
}

/** Whether a regime (by id) is weighed against an annual cap, as the latest version that has it says. */
export const hasAnnualCap = (id) => regimesNamed().get(id)?.rule.kind === 'actual-cost-up-to-annual-cap';

/** A report letter's name, prefixed by the letter as the resolution lists regimes: "b) Hỗ trợ tiền ăn…". */
export function regimeCodeName(code) {
  const names = [...new Set([...regimesNamed().values()].filter((regime) => regime.code === code).map((regime) => inLanguage(regime.name)))];
  return names.length === 0 ? code : `${code}) ${names.length === 1 ? names[0] : shared(names)}`;
}

/** The regimes in force that are claimed by request (a and b come from stays). */
export const claimableRegimes = () => (versionInForce()?.regimes ?? []).filter((regime) => regime.code !== 'a' && regime.code !== 'b');
