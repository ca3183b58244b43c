import { count, dateInWords, dong, dongInWords, figuresAsOf, shortDate } from './vietnamese.js';

describe('Vietnamese figures in documents', () => {
  it('writes money as whole đồng with dots between thousands, and numbers the same way', () => {
    expect(dong(9_464_000_000)).toBe('9.464.000.000 đồng');
    expect(dong(0)).toBe('0 đồng');
    expect(count(4347)).toBe('4.347');
    expect(count(-250_000)).toBe('-250.000');
    expect(count(999)).toBe('999');
  });

  it('writes dates as a place-and-date line does, and in figures', () => {
    expect(dateInWords('2025-01-05')).toBe('ngày 05 tháng 01 năm 2025');
    expect(shortDate('2025-12-31')).toBe('31/12/2025');
  });

  it('says when the figures stand in Vietnam’s time, whatever the server’s zone', () => {
    expect(figuresAsOf(new Date('2025-12-31T17:30:00Z'))).toBe('Số liệu tính đến 00:30 ngày 01/01/2026');
    expect(figuresAsOf(new Date('2025-06-30T02:05:00Z'))).toBe('Số liệu tính đến 09:05 ngày 30/06/2025');
  });

  it('reads amounts in words as payment documents repeat them', () => {
    expect(dongInWords(0)).toBe('Không đồng');
    expect(dongInWords(1_250_000)).toBe('Một triệu hai trăm năm mươi nghìn đồng');
    expect(dongInWords(190_000)).toBe('Một trăm chín mươi nghìn đồng');
    expect(dongInWords(2_005_000)).toBe('Hai triệu không trăm linh năm nghìn đồng');
    expect(dongInWords(21_000)).toBe('Hai mươi mốt nghìn đồng');
    expect(dongInWords(15_000_000)).toBe('Mười lăm triệu đồng');
    expect(dongInWords(74_500_000)).toBe('Bảy mươi tư triệu năm trăm nghìn đồng');
    expect(dongInWords(9_464_000_000)).toBe('Chín tỷ bốn trăm sáu mươi tư triệu đồng');
    expect(dongInWords(1_000_010)).toBe('Một triệu không trăm mười đồng');
  });
});
