/** The version of the consent text shown where a job alert is saved. */
export const ALERT_CONSENT_VERSION = '2026-12';

/** Each consent text by version, as it was shown: the phone's export carries the one it agreed to. */
export const ALERT_CONSENT_TEXTS: Record<string, string> = {
  '2026-12':
    'Tôi đồng ý để xkld lưu số điện thoại và bộ lọc tìm kiếm này, và gửi cho tôi tối đa một tin nhắn SMS mỗi ' +
    'ngày khi có đơn hàng mới phù hợp. Tôi có thể dừng bất cứ lúc nào bằng đường dẫn trong tin nhắn, bằng ' +
    'cách nhắn STOP, hoặc trên trang Thông báo việc làm. xkld không chuyển số điện thoại này cho doanh ' +
    'nghiệp nào.',
};
