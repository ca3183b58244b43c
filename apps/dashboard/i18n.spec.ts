// @ts-expect-error: the dashboard's words are a plain ES module served to browsers, without types.
import { LANGUAGES } from './public/i18n.js';

type Words = { texts: Record<string, string>; codes: Record<string, Record<string, string>> };
const { vi, en } = LANGUAGES as { vi: Words; en: Words };

/** Both languages say everything: a key one of them lacks would show as a code on a screen. */
describe("the dashboard's words", () => {
  it('has every text in Vietnamese and in English', () => {
    expect(Object.keys(en.texts).sort()).toEqual(Object.keys(vi.texts).sort());
  });

  it.each(Object.keys(vi.codes))('names every %s code in both languages', (kind) => {
    expect(Object.keys(en.codes[kind]).sort()).toEqual(Object.keys(vi.codes[kind]).sort());
  });

  it('fills the same placeholders in both languages', () => {
    const placeholders = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1]).sort();
    for (const key of Object.keys(vi.texts)) expect([key, placeholders(en.texts[key])]).toEqual([key, placeholders(vi.texts[key])]);
  });
});
