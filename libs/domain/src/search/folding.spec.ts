import { foldForSearch } from './folding.js';

describe('folding text for search', () => {
  it('takes the tone and vowel marks off Vietnamese names', () => {
    expect(foldForSearch('Nông Văn An')).toBe('nong van an');
    expect(foldForSearch('Hoàng Thị Ngọc Ánh')).toBe('hoang thi ngoc anh');
    expect(foldForSearch('Lường Thế Hữu')).toBe('luong the huu');
  });

  it('folds đ and Đ to d, which decomposition leaves alone', () => {
    expect(foldForSearch('Đinh Đức Định')).toBe('dinh duc dinh');
    expect(foldForSearch('đ')).toBe('d');
  });

  it('folds names typed in decomposed form like those typed composed', () => {
    const decomposed = 'Nông Văn An'.normalize('NFD');
    expect(decomposed).not.toBe('Nông Văn An');
    expect(foldForSearch(decomposed)).toBe(foldForSearch('Nông Văn An'));
  });

  it('collapses runs of white space and trims the ends', () => {
    expect(foldForSearch('  Nông \t Văn\n An ')).toBe('nong van an');
  });

  it('leaves what has no marks as it is, lower-cased', () => {
    expect(foldForSearch('LS-2025-00001')).toBe('ls-2025-00001');
    expect(foldForSearch('')).toBe('');
  });
});
