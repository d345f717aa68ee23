/** The version of the consent text shown next to "Tư vấn giúp tôi". */
export const CONSENT_POLICY_VERSION = '2025-07';

/** Each consent text by version, as it was shown: an applicant's export carries the one they agreed to. */
export const CONSENT_TEXTS: Record<string, string> = {
  '2025-07':
    'Tôi đồng ý để xkld chuyển họ tên, số điện thoại, tỉnh/thành, năm sinh, giới tính và lời nhắn của tôi ' +
    'cho doanh nghiệp đã đăng đơn hàng này, chỉ để doanh nghiệp đó liên hệ tư vấn cho tôi về đơn hàng. ' +
    'Tôi có thể xem, tải về, rút lại yêu cầu hoặc xoá dữ liệu của mình bất cứ lúc nào bằng mã gửi đến số ' +
    'điện thoại. Dữ liệu cá nhân được xoá sau 24 tháng kể từ lần cập nhật cuối.',
};
