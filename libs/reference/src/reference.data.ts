// Static reference data; provinces per Resolution 202/2025/QH15 (34 provinces/cities in force since 1 July 2025).

export type CountryRegion =
  | 'east_asia'
  | 'southeast_asia'
  | 'europe'
  | 'americas'
  | 'west_asia'
  | 'oceania'
  | 'africa';

export interface ProvinceSeed {
  code: string;
  nameVi: string;
  nameEn: string;
  formerNames: string[];
}
export interface CountrySeed {
  code: string;
  nameVi: string;
  nameEn: string;
  region: CountryRegion;
}
export interface IndustrySeed {
  code: string;
  nameVi: string;
  nameEn: string;
}
export interface ProgramSeed {
  code: string;
  nameVi: string;
  nameEn: string;
  country: string | null;
}

export const PROVINCES: readonly ProvinceSeed[] = [
  { code: 'ha-noi', nameVi: 'Hà Nội', nameEn: 'Ha Noi', formerNames: ['Hà Nội'] },
  { code: 'hue', nameVi: 'Huế', nameEn: 'Hue', formerNames: ['Thừa Thiên Huế'] },
  { code: 'hai-phong', nameVi: 'Hải Phòng', nameEn: 'Hai Phong', formerNames: ['Hải Phòng', 'Hải Dương'] },
  { code: 'da-nang', nameVi: 'Đà Nẵng', nameEn: 'Da Nang', formerNames: ['Đà Nẵng', 'Quảng Nam'] },
  {
    code: 'ho-chi-minh',
    nameVi: 'TP. Hồ Chí Minh',
    nameEn: 'Ho Chi Minh City',
    formerNames: ['TP. Hồ Chí Minh', 'Bình Dương', 'Bà Rịa - Vũng Tàu'],
  },
  {
    code: 'can-tho',
    nameVi: 'Cần Thơ',
    nameEn: 'Can Tho',
    formerNames: ['Cần Thơ', 'Sóc Trăng', 'Hậu Giang'],
  },
  { code: 'cao-bang', nameVi: 'Cao Bằng', nameEn: 'Cao Bang', formerNames: ['Cao Bằng'] },
  { code: 'dien-bien', nameVi: 'Điện Biên', nameEn: 'Dien Bien', formerNames: ['Điện Biên'] },
  { code: 'ha-tinh', nameVi: 'Hà Tĩnh', nameEn: 'Ha Tinh', formerNames: ['Hà Tĩnh'] },
  { code: 'lai-chau', nameVi: 'Lai Châu', nameEn: 'Lai Chau', formerNames: ['Lai Châu'] },
  { code: 'lang-son', nameVi: 'Lạng Sơn', nameEn: 'Lang Son', formerNames: ['Lạng Sơn'] },
  { code: 'nghe-an', nameVi: 'Nghệ An', nameEn: 'Nghe An', formerNames: ['Nghệ An'] },
  { code: 'quang-ninh', nameVi: 'Quảng Ninh', nameEn: 'Quang Ninh', formerNames: ['Quảng Ninh'] },
  { code: 'thanh-hoa', nameVi: 'Thanh Hóa', nameEn: 'Thanh Hoa', formerNames: ['Thanh Hóa'] },
  { code: 'son-la', nameVi: 'Sơn La', nameEn: 'Son La', formerNames: ['Sơn La'] },
  {
    code: 'tuyen-quang',
    nameVi: 'Tuyên Quang',
    nameEn: 'Tuyen Quang',
    formerNames: ['Tuyên Quang', 'Hà Giang'],
  },
  { code: 'lao-cai', nameVi: 'Lào Cai', nameEn: 'Lao Cai', formerNames: ['Lào Cai', 'Yên Bái'] },
  {
    code: 'thai-nguyen',
    nameVi: 'Thái Nguyên',
    nameEn: 'Thai Nguyen',
    formerNames: ['Thái Nguyên', 'Bắc Kạn'],
  },
  {
    code: 'phu-tho',
    nameVi: 'Phú Thọ',
    nameEn: 'Phu Tho',
    formerNames: ['Phú Thọ', 'Vĩnh Phúc', 'Hòa Bình'],
  },
  { code: 'bac-ninh', nameVi: 'Bắc Ninh', nameEn: 'Bac Ninh', formerNames: ['Bắc Ninh', 'Bắc Giang'] },
  { code: 'hung-yen', nameVi: 'Hưng Yên', nameEn: 'Hung Yen', formerNames: ['Hưng Yên', 'Thái Bình'] },
  {
    code: 'ninh-binh',
    nameVi: 'Ninh Bình',
    nameEn: 'Ninh Binh',
    formerNames: ['Ninh Bình', 'Hà Nam', 'Nam Định'],
  },
  { code: 'quang-tri', nameVi: 'Quảng Trị', nameEn: 'Quang Tri', formerNames: ['Quảng Trị', 'Quảng Bình'] },
  { code: 'quang-ngai', nameVi: 'Quảng Ngãi', nameEn: 'Quang Ngai', formerNames: ['Quảng Ngãi', 'Kon Tum'] },
  { code: 'gia-lai', nameVi: 'Gia Lai', nameEn: 'Gia Lai', formerNames: ['Gia Lai', 'Bình Định'] },
  { code: 'khanh-hoa', nameVi: 'Khánh Hòa', nameEn: 'Khanh Hoa', formerNames: ['Khánh Hòa', 'Ninh Thuận'] },
  {
    code: 'lam-dong',
    nameVi: 'Lâm Đồng',
    nameEn: 'Lam Dong',
    formerNames: ['Lâm Đồng', 'Đắk Nông', 'Bình Thuận'],
  },
  { code: 'dak-lak', nameVi: 'Đắk Lắk', nameEn: 'Dak Lak', formerNames: ['Đắk Lắk', 'Phú Yên'] },
  { code: 'dong-nai', nameVi: 'Đồng Nai', nameEn: 'Dong Nai', formerNames: ['Đồng Nai', 'Bình Phước'] },
  { code: 'tay-ninh', nameVi: 'Tây Ninh', nameEn: 'Tay Ninh', formerNames: ['Tây Ninh', 'Long An'] },
  { code: 'dong-thap', nameVi: 'Đồng Tháp', nameEn: 'Dong Thap', formerNames: ['Đồng Tháp', 'Tiền Giang'] },
  {
    code: 'vinh-long',
    nameVi: 'Vĩnh Long',
    nameEn: 'Vinh Long',
    formerNames: ['Vĩnh Long', 'Bến Tre', 'Trà Vinh'],
  },
  { code: 'an-giang', nameVi: 'An Giang', nameEn: 'An Giang', formerNames: ['An Giang', 'Kiên Giang'] },
  { code: 'ca-mau', nameVi: 'Cà Mau', nameEn: 'Ca Mau', formerNames: ['Cà Mau', 'Bạc Liêu'] },
];

export const COUNTRIES: readonly CountrySeed[] = [
  { code: 'JP', nameVi: 'Nhật Bản', nameEn: 'Japan', region: 'east_asia' },
  { code: 'TW', nameVi: 'Đài Loan', nameEn: 'Taiwan', region: 'east_asia' },
  { code: 'KR', nameVi: 'Hàn Quốc', nameEn: 'South Korea', region: 'east_asia' },
  { code: 'CN', nameVi: 'Trung Quốc', nameEn: 'China', region: 'east_asia' },
  { code: 'MO', nameVi: 'Ma Cao', nameEn: 'Macao', region: 'east_asia' },
  { code: 'HK', nameVi: 'Hồng Kông', nameEn: 'Hong Kong', region: 'east_asia' },
  { code: 'SG', nameVi: 'Singapore', nameEn: 'Singapore', region: 'southeast_asia' },
  { code: 'MY', nameVi: 'Malaysia', nameEn: 'Malaysia', region: 'southeast_asia' },
  { code: 'TH', nameVi: 'Thái Lan', nameEn: 'Thailand', region: 'southeast_asia' },
  { code: 'BN', nameVi: 'Brunei', nameEn: 'Brunei', region: 'southeast_asia' },
  { code: 'LA', nameVi: 'Lào', nameEn: 'Laos', region: 'southeast_asia' },
  { code: 'KH', nameVi: 'Campuchia', nameEn: 'Cambodia', region: 'southeast_asia' },
  { code: 'PH', nameVi: 'Philippines', nameEn: 'Philippines', region: 'southeast_asia' },
  { code: 'ID', nameVi: 'Indonesia', nameEn: 'Indonesia', region: 'southeast_asia' },
  { code: 'HU', nameVi: 'Hungary', nameEn: 'Hungary', region: 'europe' },
  { code: 'LV', nameVi: 'Latvia', nameEn: 'Latvia', region: 'europe' },
  { code: 'PL', nameVi: 'Ba Lan', nameEn: 'Poland', region: 'europe' },
  { code: 'RO', nameVi: 'Rumani', nameEn: 'Romania', region: 'europe' },
  { code: 'RU', nameVi: 'Nga', nameEn: 'Russia', region: 'europe' },
  { code: 'DE', nameVi: 'Đức', nameEn: 'Germany', region: 'europe' },
  { code: 'CZ', nameVi: 'Séc', nameEn: 'Czech Republic', region: 'europe' },
  { code: 'SK', nameVi: 'Slovakia', nameEn: 'Slovakia', region: 'europe' },
  { code: 'BG', nameVi: 'Bulgaria', nameEn: 'Bulgaria', region: 'europe' },
  { code: 'RS', nameVi: 'Serbia', nameEn: 'Serbia', region: 'europe' },
  { code: 'HR', nameVi: 'Croatia', nameEn: 'Croatia', region: 'europe' },
  { code: 'LT', nameVi: 'Litva', nameEn: 'Lithuania', region: 'europe' },
  { code: 'EE', nameVi: 'Estonia', nameEn: 'Estonia', region: 'europe' },
  { code: 'SI', nameVi: 'Slovenia', nameEn: 'Slovenia', region: 'europe' },
  { code: 'NL', nameVi: 'Hà Lan', nameEn: 'Netherlands', region: 'europe' },
  { code: 'FR', nameVi: 'Pháp', nameEn: 'France', region: 'europe' },
  { code: 'IT', nameVi: 'Ý', nameEn: 'Italy', region: 'europe' },
  { code: 'ES', nameVi: 'Tây Ban Nha', nameEn: 'Spain', region: 'europe' },
  { code: 'PT', nameVi: 'Bồ Đào Nha', nameEn: 'Portugal', region: 'europe' },
  { code: 'GR', nameVi: 'Hy Lạp', nameEn: 'Greece', region: 'europe' },
  { code: 'MT', nameVi: 'Malta', nameEn: 'Malta', region: 'europe' },
  { code: 'CY', nameVi: 'Síp', nameEn: 'Cyprus', region: 'europe' },
  { code: 'FI', nameVi: 'Phần Lan', nameEn: 'Finland', region: 'europe' },
  { code: 'SE', nameVi: 'Thụy Điển', nameEn: 'Sweden', region: 'europe' },
  { code: 'DK', nameVi: 'Đan Mạch', nameEn: 'Denmark', region: 'europe' },
  { code: 'NO', nameVi: 'Na Uy', nameEn: 'Norway', region: 'europe' },
  { code: 'AT', nameVi: 'Áo', nameEn: 'Austria', region: 'europe' },
  { code: 'CH', nameVi: 'Thụy Sĩ', nameEn: 'Switzerland', region: 'europe' },
  { code: 'BE', nameVi: 'Bỉ', nameEn: 'Belgium', region: 'europe' },
  { code: 'IE', nameVi: 'Ireland', nameEn: 'Ireland', region: 'europe' },
  { code: 'GB', nameVi: 'Anh', nameEn: 'United Kingdom', region: 'europe' },
  { code: 'BY', nameVi: 'Belarus', nameEn: 'Belarus', region: 'europe' },
  { code: 'US', nameVi: 'Mỹ', nameEn: 'United States', region: 'americas' },
  { code: 'CA', nameVi: 'Canada', nameEn: 'Canada', region: 'americas' },
  { code: 'AU', nameVi: 'Úc', nameEn: 'Australia', region: 'oceania' },
  { code: 'NZ', nameVi: 'New Zealand', nameEn: 'New Zealand', region: 'oceania' },
  { code: 'SA', nameVi: 'Ả Rập Xê Út', nameEn: 'Saudi Arabia', region: 'west_asia' },
  {
    code: 'AE',
    nameVi: 'Các Tiểu vương quốc Ả Rập Thống nhất',
    nameEn: 'United Arab Emirates',
    region: 'west_asia',
  },
  { code: 'QA', nameVi: 'Qatar', nameEn: 'Qatar', region: 'west_asia' },
  { code: 'KW', nameVi: 'Kuwait', nameEn: 'Kuwait', region: 'west_asia' },
  { code: 'OM', nameVi: 'Oman', nameEn: 'Oman', region: 'west_asia' },
  { code: 'BH', nameVi: 'Bahrain', nameEn: 'Bahrain', region: 'west_asia' },
  { code: 'JO', nameVi: 'Jordan', nameEn: 'Jordan', region: 'west_asia' },
  { code: 'IL', nameVi: 'Israel', nameEn: 'Israel', region: 'west_asia' },
  { code: 'TR', nameVi: 'Thổ Nhĩ Kỳ', nameEn: 'Turkey', region: 'west_asia' },
  { code: 'DZ', nameVi: 'Algeria', nameEn: 'Algeria', region: 'africa' },
  { code: 'LY', nameVi: 'Libya', nameEn: 'Libya', region: 'africa' },
  { code: 'AO', nameVi: 'Angola', nameEn: 'Angola', region: 'africa' },
  { code: 'MZ', nameVi: 'Mozambique', nameEn: 'Mozambique', region: 'africa' },
];

export const INDUSTRIES: readonly IndustrySeed[] = [
  { code: 'food_processing', nameVi: 'Chế biến thực phẩm', nameEn: 'Food processing' },
  { code: 'seafood_processing', nameVi: 'Chế biến thủy sản', nameEn: 'Seafood processing' },
  { code: 'mechanical_cnc', nameVi: 'Cơ khí / CNC', nameEn: 'Mechanical / CNC' },
  { code: 'construction', nameVi: 'Xây dựng', nameEn: 'Construction' },
  { code: 'agriculture', nameVi: 'Nông nghiệp', nameEn: 'Agriculture' },
  { code: 'caregiving', nameVi: 'Điều dưỡng / hộ lý', nameEn: 'Caregiving / nursing care' },
  {
    code: 'home_caregiving',
    nameVi: 'Khán hộ công / giúp việc gia đình',
    nameEn: 'Home caregiving / domestic work',
  },
  { code: 'electronics', nameVi: 'Điện tử', nameEn: 'Electronics' },
  { code: 'garment', nameVi: 'May mặc', nameEn: 'Garment' },
  { code: 'hospitality', nameVi: 'Nhà hàng - khách sạn', nameEn: 'Hospitality (restaurants and hotels)' },
  { code: 'fishing', nameVi: 'Thuyền viên / đánh cá gần bờ', nameEn: 'Fishing crew / near-shore fishing' },
  { code: 'shipbuilding', nameVi: 'Đóng tàu', nameEn: 'Shipbuilding' },
  { code: 'automotive', nameVi: 'Ô tô', nameEn: 'Automotive' },
  { code: 'logistics', nameVi: 'Kho vận', nameEn: 'Logistics and warehousing' },
  { code: 'cleaning', nameVi: 'Vệ sinh tòa nhà', nameEn: 'Building cleaning' },
  { code: 'packaging', nameVi: 'Đóng gói', nameEn: 'Packaging' },
  { code: 'manufacturing', nameVi: 'Sản xuất chung', nameEn: 'General manufacturing' },
];

export const PROGRAMS: readonly ProgramSeed[] = [
  {
    code: 'jp_technical_intern',
    nameVi: 'Thực tập sinh kỹ năng Nhật Bản',
    nameEn: 'Japan technical intern training',
    country: 'JP',
  },
  {
    code: 'jp_technical_intern_3',
    nameVi: 'Thực tập sinh kỹ năng số 3',
    nameEn: 'Japan technical intern training stage 3',
    country: 'JP',
  },
  {
    code: 'jp_specified_skilled',
    nameVi: 'Kỹ năng đặc định',
    nameEn: 'Japan specified skilled worker',
    country: 'JP',
  },
  {
    code: 'jp_engineer',
    nameVi: 'Kỹ sư / kỹ thuật viên Nhật Bản',
    nameEn: 'Japan engineer / technician',
    country: 'JP',
  },
  { code: 'tw_worker', nameVi: 'Lao động Đài Loan', nameEn: 'Taiwan worker', country: 'TW' },
  {
    code: 'tw_caregiver_institution',
    nameVi: 'Hộ lý bệnh viện / viện dưỡng lão Đài Loan',
    nameEn: 'Taiwan hospital / elderly-home caregiver',
    country: 'TW',
  },
  {
    code: 'tw_home_caregiver',
    nameVi: 'Khán hộ công gia đình Đài Loan',
    nameEn: 'Taiwan home caregiver',
    country: 'TW',
  },
  {
    code: 'kr_eps',
    nameVi: 'Chương trình EPS Hàn Quốc',
    nameEn: 'Korea Employment Permit System (EPS)',
    country: 'KR',
  },
  { code: 'kr_e7', nameVi: 'Visa E-7 Hàn Quốc', nameEn: 'Korea E-7 visa', country: 'KR' },
  {
    code: 'kr_fishing',
    nameVi: 'Ngư nghiệp gần bờ Hàn Quốc',
    nameEn: 'Korea near-shore fishing',
    country: 'KR',
  },
  {
    code: 'eu_work_permit',
    nameVi: 'Giấy phép lao động châu Âu',
    nameEn: 'European work permit',
    country: null,
  },
  { code: 'ru_work_permit', nameVi: 'Lao động Nga', nameEn: 'Russia work permit', country: 'RU' },
  {
    code: 'general_contract',
    nameVi: 'Hợp đồng lao động chung',
    nameEn: 'General labour contract',
    country: null,
  },
  { code: 'sea_crew', nameVi: 'Thuyền viên tàu biển', nameEn: 'Seafarer (ship crew)', country: null },
];
