/** The report's letters and headings, as the province's year-end report names its regimes. */
export const REGIME_HEADINGS: Readonly<Record<string, string>> = {
  a: 'Thăm hỏi khi điều trị nội trú',
  b: 'Hỗ trợ tiền ăn khi điều trị nội trú',
  c: 'Điều dưỡng, phục hồi sức khỏe trong tỉnh',
  d: 'Hỗ trợ viện phí',
  đ: 'Điều dưỡng ngoại trú (tại nhà, ngoài tỉnh)',
  e: 'Hỗ trợ mắc bệnh hiểm nghèo',
  g: 'Thuốc đặc trị, biệt dược, thực phẩm bảo vệ sức khỏe',
  h: 'Khám sức khỏe định kỳ',
  i: 'Khám sức khỏe phục vụ đại hội Đảng',
  k: 'Bồi dưỡng cán bộ làm công tác bảo vệ sức khỏe',
};
