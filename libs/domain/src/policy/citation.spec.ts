import { vietnameseCitation } from './citation.js';

describe('vietnameseCitation', () => {
  it('reads the English citation of the first catalog versions in Vietnamese legal wording', () => {
    expect(vietnameseCitation('Regulation attached to Resolution 24/2024, regime a')).toBe('Chế độ a) Quy định kèm theo Nghị quyết số 24/2024/NQ-HĐND');
    expect(vietnameseCitation('Regulation attached to Resolution 24/2024, regime đ')).toBe('Chế độ đ) Quy định kèm theo Nghị quyết số 24/2024/NQ-HĐND');
  });

  it('keeps any other clause as written', () => {
    expect(vietnameseCitation('Điểm b khoản 2 Điều 3 Nghị quyết số 05/2026/NQ-HĐND')).toBe('Điểm b khoản 2 Điều 3 Nghị quyết số 05/2026/NQ-HĐND');
    expect(vietnameseCitation('replacement resolution, art. 5')).toBe('replacement resolution, art. 5');
  });
});
