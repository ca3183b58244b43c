/**
 * Text as the register is searched by: without diacritics, lower case, single spaces. Officers type
 * names as a keyboard without a Vietnamese layout lets them ("nong van an" for "Nông Văn An"), so
 * a name and what is typed to find it are both folded before they are compared. Unicode
 * decomposition takes the tone and vowel marks off, but đ/Đ is a letter of its own, not d with a
 * mark, so it is mapped by hand.
 */
export function foldForSearch(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').replace(/[đĐ]/g, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
}
