export type Lang = 'vi' | 'en';

interface Message {
  title: string;
  detail: string;
}

/** Problem titles and details by stable code; `{name}` placeholders are filled from the exception's params. */
export const PROBLEM_MESSAGES = {
  VALIDATION_FAILED: {
    vi: { title: 'Dữ liệu không hợp lệ', detail: 'Vui lòng kiểm tra lại các trường được nêu.' },
    en: { title: 'Invalid input', detail: 'Please check the fields listed.' },
  },
  BAD_REQUEST: {
    vi: { title: 'Yêu cầu không hợp lệ', detail: 'Máy chủ không hiểu yêu cầu này.' },
    en: { title: 'Bad request', detail: 'The server could not understand this request.' },
  },
  INVALID_CURSOR: {
    vi: { title: 'Con trỏ phân trang không hợp lệ', detail: 'Hãy tải lại trang đầu tiên.' },
    en: { title: 'Invalid page cursor', detail: 'Start again from the first page.' },
  },
  UNAUTHENTICATED: {
    vi: { title: 'Chưa đăng nhập', detail: 'Bạn cần đăng nhập để thực hiện thao tác này.' },
    en: { title: 'Not signed in', detail: 'You need to sign in to do this.' },
  },
  INVALID_CREDENTIALS: {
    vi: { title: 'Sai thông tin đăng nhập', detail: 'Email hoặc mật khẩu không đúng.' },
    en: { title: 'Invalid credentials', detail: 'Wrong email or password.' },
  },
  EMAIL_TAKEN: {
    vi: { title: 'Email đã được sử dụng', detail: 'Đã có tài khoản dùng email này.' },
    en: { title: 'Email taken', detail: 'An account with this email exists.' },
  },
  FORBIDDEN: {
    vi: { title: 'Không có quyền', detail: 'Tài khoản của bạn không được phép thực hiện thao tác này.' },
    en: { title: 'Forbidden', detail: 'Your account is not allowed to do this.' },
  },
  NOT_FOUND: {
    vi: { title: 'Không tìm thấy', detail: 'Không tìm thấy nội dung bạn yêu cầu.' },
    en: { title: 'Not found', detail: 'The requested resource was not found.' },
  },
  METHOD_NOT_ALLOWED: {
    vi: { title: 'Phương thức không được hỗ trợ', detail: 'Đường dẫn này không hỗ trợ phương thức đã dùng.' },
    en: { title: 'Method not allowed', detail: 'This path does not support that method.' },
  },
  PAYLOAD_TOO_LARGE: {
    vi: { title: 'Dữ liệu quá lớn', detail: 'Nội dung gửi lên vượt quá giới hạn cho phép.' },
    en: { title: 'Payload too large', detail: 'The request body is over the allowed size.' },
  },
  UNSUPPORTED_MEDIA_TYPE: {
    vi: { title: 'Định dạng không được hỗ trợ', detail: 'Hãy gửi dữ liệu dạng application/json.' },
    en: { title: 'Unsupported media type', detail: 'Send the body as application/json.' },
  },
  RATE_LIMITED: {
    vi: { title: 'Quá nhiều yêu cầu', detail: 'Bạn thao tác quá nhanh, vui lòng thử lại sau ít phút.' },
    en: { title: 'Too many requests', detail: 'Slow down and try again in a few minutes.' },
  },
  CONFLICT: {
    vi: { title: 'Xung đột', detail: 'Yêu cầu trùng đang được xử lý, vui lòng thử lại sau giây lát.' },
    en: { title: 'Conflict', detail: 'A duplicate request is being processed; retry in a moment.' },
  },
  IDEMPOTENCY_KEY_REUSED: {
    vi: {
      title: 'Khóa Idempotency-Key đã được dùng',
      detail: 'Khóa này đã được dùng cho một yêu cầu có nội dung khác.',
    },
    en: {
      title: 'Idempotency-Key reused',
      detail: 'This key was already used with a different request body.',
    },
  },
  ORDER_NOT_OPEN: {
    vi: { title: 'Đơn hàng không còn tuyển', detail: 'Đơn hàng này hiện không nhận đăng ký tư vấn.' },
    en: { title: 'Order not open', detail: 'This job order is not taking requests.' },
  },
  AGENCY_NOT_ACTIVE: {
    vi: {
      title: 'Doanh nghiệp không được phép tuyển',
      detail: 'Giấy phép của doanh nghiệp đăng đơn hàng này hiện không còn hiệu lực.',
    },
    en: { title: 'Agency not active', detail: "The agency's licence is not active." },
  },
  AGE_OUT_OF_RANGE: {
    vi: {
      title: 'Không phù hợp độ tuổi',
      detail: 'Năm sinh không nằm trong độ tuổi đơn hàng yêu cầu (và phải đủ 18 tuổi).',
    },
    en: { title: 'Age out of range', detail: "The birth year is outside the order's range, or under 18." },
  },
  GENDER_MISMATCH: {
    vi: { title: 'Không phù hợp giới tính', detail: 'Đơn hàng này chỉ tuyển giới tính khác.' },
    en: { title: 'Gender mismatch', detail: 'This order recruits another gender.' },
  },
  LOCALITY_SUSPENDED: {
    vi: {
      title: 'Địa phương đang tạm dừng tuyển chọn',
      detail: 'Việc tuyển chọn cho chương trình hoặc thị trường này đang tạm dừng tại tỉnh của bạn.',
    },
    en: {
      title: 'Locality suspended',
      detail: 'Recruitment for this program or country is paused in your province.',
    },
  },
  REGISTRATION_LOCKED: {
    vi: {
      title: 'Không thể sửa điều kiện đã đăng ký',
      detail:
        'Đơn hàng đã trình cục: các điều kiện được nêu chỉ sửa được khi đơn ở trạng thái nháp hoặc bị từ chối.',
    },
    en: {
      title: 'Registered terms locked',
      detail:
        'The order was submitted for registration: the listed terms can change only while draft or rejected.',
    },
  },
  INVALID_TRANSITION: {
    vi: {
      title: 'Không thể chuyển trạng thái',
      detail: 'Thao tác này không áp dụng cho trạng thái hiện tại.',
    },
    en: { title: 'Invalid transition', detail: 'This action does not apply in the current state.' },
  },
  ORDER_TAKEN_DOWN: {
    vi: {
      title: 'Đơn hàng đã bị gỡ',
      detail: 'Cơ quan quản lý đã gỡ đơn hàng này; xem lý do trong chi tiết đơn hàng.',
    },
    en: {
      title: 'Order taken down',
      detail: 'A regulator took this order down; see the reason on the order.',
    },
  },
  LICENSE_TAKEN: {
    vi: {
      title: 'Doanh nghiệp đã đăng ký',
      detail: 'Số giấy phép hoặc mã số doanh nghiệp này đã có trên hệ thống.',
    },
    en: { title: 'Agency exists', detail: 'This licence number or enterprise code is already registered.' },
  },
  REGISTRATION_NOT_PUBLISHABLE: {
    vi: {
      title: 'Đơn hàng chưa được phép đăng',
      detail: 'Chỉ đăng được đơn hàng đã được chấp thuận tạo nguồn hoặc đã được đăng ký.',
    },
    en: {
      title: 'Registration not publishable',
      detail: 'Only orders approved for source preparation or registered can be published.',
    },
  },
  OPENINGS_OVER_APPROVED_HEADCOUNT: {
    vi: {
      title: 'Vượt số lượng được duyệt',
      detail: 'Số lượng tuyển vượt quá số lượng được cục chấp thuận.',
    },
    en: { title: 'Openings over approved headcount', detail: 'The openings exceed the approved headcount.' },
  },
  AGE_RANGE_ADMITS_MINORS: {
    vi: { title: 'Độ tuổi không hợp pháp', detail: 'Khoảng năm sinh cho phép người chưa đủ 18 tuổi.' },
    en: { title: 'Age range admits minors', detail: 'The birth-year range admits people under 18.' },
  },
  FEE_OVER_CAP: {
    vi: {
      title: 'Tiền dịch vụ vượt mức trần',
      detail: 'Tiền dịch vụ thu của người lao động vượt mức pháp luật cho phép.',
    },
    en: { title: 'Service fee over the cap', detail: 'The service fee exceeds the legal cap.' },
  },
  BROKERAGE_FEE_NOT_ALLOWED: {
    vi: {
      title: 'Không được thu tiền môi giới',
      detail: 'Pháp luật cấm thu tiền môi giới của người lao động.',
    },
    en: { title: 'Brokerage not allowed', detail: 'The law forbids charging workers a brokerage fee.' },
  },
  DEPOSIT_OVER_CAP: {
    vi: {
      title: 'Tiền ký quỹ vượt mức trần',
      detail: 'Tiền ký quỹ vượt mức pháp luật cho phép với thị trường này.',
    },
    en: { title: 'Deposit over the cap', detail: 'The deposit exceeds the legal cap for this market.' },
  },
  SALARY_BELOW_MINIMUM: {
    vi: {
      title: 'Lương thấp hơn mức tối thiểu',
      detail: 'Lương cơ bản thấp hơn mức tối thiểu cho thị trường này.',
    },
    en: {
      title: 'Salary below the minimum',
      detail: 'The base salary is below the minimum for this market.',
    },
  },
  EPS_ONLY_PUBLIC_CENTRE: {
    vi: {
      title: 'Chỉ Trung tâm Lao động ngoài nước được tuyển EPS',
      detail: 'Đơn hàng EPS Hàn Quốc chỉ do đơn vị sự nghiệp công đăng.',
    },
    en: {
      title: 'EPS only from the public centre',
      detail: 'Korea EPS orders come only from the public sending centre.',
    },
  },
  EXCHANGE_RATE_MISSING: {
    vi: { title: 'Thiếu tỷ giá', detail: 'Chưa có tỷ giá cho đồng tiền của đơn hàng để kiểm tra mức trần.' },
    en: {
      title: 'Exchange rate missing',
      detail: "No exchange rate is configured for the order's currency.",
    },
  },
  REVIEW_NOT_ALLOWED_YET: {
    vi: {
      title: 'Chưa thể đánh giá',
      detail: 'Bạn chỉ có thể đánh giá sau khi doanh nghiệp đã liên hệ với bạn về yêu cầu này.',
    },
    en: {
      title: 'Review not allowed yet',
      detail: 'You can review once the agency has contacted you about this request.',
    },
  },
  ALREADY_REVIEWED: {
    vi: {
      title: 'Đã đánh giá',
      detail: 'Yêu cầu này hoặc số điện thoại này đã có đánh giá cho doanh nghiệp.',
    },
    en: {
      title: 'Already reviewed',
      detail: 'This request, or this phone number, has already reviewed the agency.',
    },
  },
  REVIEW_BY_AGENCY_STAFF: {
    vi: {
      title: 'Nhân viên doanh nghiệp không được đánh giá',
      detail: 'Tài khoản doanh nghiệp không thể gửi đánh giá; đánh giá chỉ dành cho người lao động.',
    },
    en: {
      title: 'Agency staff cannot review',
      detail: 'Agency accounts cannot post reviews; reviews are for job seekers only.',
    },
  },
  SERVICE_UNAVAILABLE: {
    vi: { title: 'Dịch vụ tạm thời gián đoạn', detail: 'Vui lòng thử lại sau ít phút.' },
    en: { title: 'Service unavailable', detail: 'Please try again in a few minutes.' },
  },
  INTERNAL_ERROR: {
    vi: {
      title: 'Lỗi hệ thống',
      detail: 'Đã có lỗi xảy ra. Vui lòng thử lại; nếu vẫn lỗi, hãy báo mã lỗi {errorId}.',
    },
    en: {
      title: 'Internal error',
      detail: 'Something went wrong. Please retry; if it persists, report error id {errorId}.',
    },
  },
} satisfies Record<string, Record<Lang, Message>>;

export type ProblemCode = keyof typeof PROBLEM_MESSAGES;

/** Field-level messages by class-validator constraint name. */
export const FIELD_MESSAGES: Record<string, Record<Lang, string>> = {
  whitelistValidation: { vi: 'Trường này không được phép', en: 'This field is not allowed' },
  isDefined: { vi: 'Trường này là bắt buộc', en: 'This field is required' },
  isNotEmpty: { vi: 'Không được để trống', en: 'Must not be empty' },
  isString: { vi: 'Phải là chuỗi ký tự', en: 'Must be a string' },
  isInt: { vi: 'Phải là số nguyên', en: 'Must be a whole number' },
  isNumber: { vi: 'Phải là một số', en: 'Must be a number' },
  isBoolean: { vi: 'Phải là true hoặc false', en: 'Must be true or false' },
  isIn: { vi: 'Giá trị không nằm trong danh sách cho phép', en: 'Must be one of the allowed values' },
  isEnum: { vi: 'Giá trị không nằm trong danh sách cho phép', en: 'Must be one of the allowed values' },
  min: { vi: 'Giá trị quá nhỏ', en: 'Value is too small' },
  max: { vi: 'Giá trị quá lớn', en: 'Value is too large' },
  minLength: { vi: 'Quá ngắn', en: 'Too short' },
  maxLength: { vi: 'Quá dài', en: 'Too long' },
  isUuid: { vi: 'Mã định danh không hợp lệ', en: 'Not a valid id' },
  isISO31661Alpha2: {
    vi: 'Mã quốc gia không hợp lệ (ISO 3166-1 alpha-2)',
    en: 'Not an ISO 3166-1 alpha-2 code',
  },
  matches: { vi: 'Định dạng không hợp lệ', en: 'Invalid format' },
  isProvince: { vi: 'Không tìm thấy tỉnh/thành phố này', en: 'Unknown province' },
  isPhone: {
    vi: 'Số điện thoại di động Việt Nam không hợp lệ (ví dụ 0912345678)',
    en: 'Not a Vietnamese mobile number (e.g. 0912345678)',
  },
  isPublicUrl: {
    vi: 'Địa chỉ phải là https công khai (không trỏ vào mạng nội bộ)',
    en: 'Must be a public https URL (no private or loopback targets)',
  },
  equals: { vi: 'Bạn cần đồng ý để tiếp tục', en: 'Consent is required' },
  isIdempotencyKey: {
    vi: 'Khóa không hợp lệ (1-200 ký tự ASCII)',
    en: 'Invalid key (1-200 ASCII characters)',
  },
  isEmail: { vi: 'Email không hợp lệ', en: 'Not a valid email' },
  isExchangeRate: {
    vi: 'Mã tiền tệ ISO 4217 (3 chữ in hoa, khác VND) với tỷ giá dương, tối đa 4 chữ số thập phân',
    en: 'An ISO 4217 code (3 capitals, not VND) with a positive rate of at most 4 decimals',
  },
  isCountry: { vi: 'Không có quốc gia này trong danh mục', en: 'Unknown country' },
  isIndustry: { vi: 'Không có ngành nghề này trong danh mục', en: 'Unknown industry' },
  isProgram: { vi: 'Không có chương trình này trong danh mục', en: 'Unknown program' },
  isProgramForCountry: {
    vi: 'Chương trình này không thuộc quốc gia đã chọn',
    en: 'This program belongs to another country',
  },
  isCurrencyWithRate: {
    vi: 'Chưa có tỷ giá cho đồng tiền này',
    en: 'No exchange rate is configured for this currency',
  },
  isBirthYearRange: {
    vi: 'Năm sinh đến phải không nhỏ hơn năm sinh từ',
    en: 'Must not be before birthYearFrom',
  },
  isPastMonth: { vi: 'Tháng không được ở tương lai', en: 'The month must not be in the future' },
  isAtMostTotal: { vi: 'Không được lớn hơn tổng số', en: 'Must not exceed total' },
  isAgency: { vi: 'Không tìm thấy doanh nghiệp này', en: 'Unknown agency' },
  isRoleForUser: {
    vi: 'Vai trò doanh nghiệp chỉ dành cho tài khoản thuộc một doanh nghiệp, và ngược lại',
    en: 'Agency roles are for agency accounts only, and the other roles for the others',
  },
  isAfterFrom: { vi: 'Ngày kết thúc phải không trước ngày bắt đầu', en: 'Must not be before from' },
  isLocked: { vi: 'Đã trình cục, không sửa được', en: 'Submitted for registration; cannot change' },
  REGISTRATION_NOT_PUBLISHABLE: {
    vi: 'Đơn hàng cần được chấp thuận tạo nguồn hoặc đăng ký trước khi đăng',
    en: 'Needs source-preparation approval or registration first',
  },
  OPENINGS_OVER_APPROVED_HEADCOUNT: { vi: 'Vượt số lượng được duyệt', en: 'Over the approved headcount' },
  AGE_RANGE_ADMITS_MINORS: { vi: 'Cho phép người chưa đủ 18 tuổi', en: 'Admits people under 18' },
  FEE_OVER_CAP: { vi: 'Vượt mức trần tiền dịch vụ', en: 'Over the service-fee cap' },
  BROKERAGE_FEE_NOT_ALLOWED: { vi: 'Tiền môi giới phải bằng 0', en: 'Brokerage must be 0' },
  DEPOSIT_OVER_CAP: { vi: 'Vượt mức trần tiền ký quỹ', en: 'Over the deposit cap' },
  SALARY_BELOW_MINIMUM: { vi: 'Thấp hơn mức lương tối thiểu', en: 'Below the minimum salary' },
  EPS_ONLY_PUBLIC_CENTRE: {
    vi: 'Chỉ đơn vị sự nghiệp công được tuyển EPS',
    en: 'EPS only from the public centre',
  },
  EXCHANGE_RATE_MISSING: { vi: 'Chưa có tỷ giá', en: 'No exchange rate configured' },
  arrayLength: { vi: 'Cần từ 1 đến 200 mục', en: 'Needs 1 to 200 entries' },
};

export const DEFAULT_FIELD_MESSAGE: Record<Lang, string> = {
  vi: 'Giá trị không hợp lệ',
  en: 'Invalid value',
};

export function negotiateLanguage(header: string | string[] | undefined): Lang {
  const value = Array.isArray(header) ? header.join(',') : (header ?? '');
  let best: { lang: Lang; q: number } = { lang: 'vi', q: 0 };
  for (const part of value.split(',')) {
    const [tag, ...params] = part.trim().toLowerCase().split(';');
    const lang = tag.startsWith('en') ? 'en' : tag.startsWith('vi') ? 'vi' : undefined;
    if (!lang) continue;
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (Number.isFinite(q) && q > best.q) best = { lang, q };
  }
  return best.lang;
}

export function interpolate(template: string, params: Record<string, string | number>): string {
  return template.replace(/\{(\w+)\}/g, (match, key: string) =>
    key in params ? String(params[key]) : match,
  );
}
