import { api } from './api.js';
import { state, today } from './state.js';

/**
 * Regime names as the policy catalog the API serves writes them: "Vietnamese (English)". A
 * regime id (h.fixed) is named by the latest version that has it; a report's letter (h) by its
 * one regime, or by what its variants' names share.
 */
let versions = [];

/** The officials' regimes versions only: a universal health check's versions (Lâm Đồng's) name no regimes. */
export async function loadCatalog() {
  versions = (await api('/policy-versions')).filter((version) => Array.isArray(version.regimes));
  return versions;
}

/** The version in force today: the latest that has begun. */
export const versionInForce = () => [...versions].reverse().find((version) => version.effectiveFrom <= today()) ?? versions[versions.length - 1];

/** Vowels with Vietnamese tone or shape marks: English text has none (đ alone is no sign, HĐND is in both). */
const VIETNAMESE = /[àáảãạăằắẳẵặâầấẩẫậèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ]/i;

/** The catalog's bilingual texts in the reader's language: "Vietnamese (English)", or the other way round as the legal basis is written. */
export function inLanguage(text) {
  const match = /^(.*?)\s*\(([^()]*)\)\s*$/.exec(text ?? '');
  if (!match) return text;
  const [outside, inside] = [match[1], match[2]];
  const vietnamese = VIETNAMESE.test(inside) && !VIETNAMESE.test(outside) ? inside : outside;
  const english = vietnamese === outside ? inside : outside;
  return state.language === 'en' ? english.charAt(0).toUpperCase() + english.slice(1) : vietnamese;
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

/**
 * Where a rule comes from, in the reader's language. The first catalog versions cite their clauses
 * in English and cannot be reworded (decisions cite them); in Vietnamese that citation reads as
 * the resolution's own wording, as the official documents print it (vietnameseCitation, libs/domain).
 */
export function clauseText(clause) {
  const match = /^Regulation attached to Resolution (\d+\/\d{4}), regime (\S+)$/.exec(clause ?? '');
  return match && state.language === 'vi' ? `Chế độ ${match[2]}) Quy định kèm theo Nghị quyết số ${match[1]}/NQ-HĐND` : clause;
}

/** The regimes in force that are claimed by request (a and b come from stays). */
export const claimableRegimes = () => (versionInForce()?.regimes ?? []).filter((regime) => regime.code !== 'a' && regime.code !== 'b');
