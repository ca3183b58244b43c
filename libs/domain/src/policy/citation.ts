/**
 * The first catalog versions cite their clauses in English ("Regulation attached to Resolution
 * 24/2024, regime a"), and published versions cannot be reworded: decisions already cite them.
 * Vietnamese documents say where a rule comes from in Vietnamese, so that English form is read
 * into its Vietnamese legal wording here; a clause already written in Vietnamese stays as written.
 */
const ENGLISH_CITATION = /^Regulation attached to Resolution (\d+\/\d{4}), regime (\S+)$/;

export function vietnameseCitation(clause: string): string {
  const match = ENGLISH_CITATION.exec(clause);
  return match ? `Chế độ ${match[2]}) Quy định kèm theo Nghị quyết số ${match[1]}/NQ-HĐND` : clause;
}
