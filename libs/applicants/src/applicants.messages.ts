import { defineProblemMessages } from '@app/core';

export const APPLICANT_PROBLEMS = defineProblemMessages({
  OTP_INVALID: {
    vi: {
      title: 'Mã xác minh không đúng',
      detail: 'Mã bạn nhập không đúng, vui lòng kiểm tra tin nhắn và thử lại.',
    },
    en: { title: 'Wrong code', detail: 'The code does not match; check the message and try again.' },
  },
  OTP_EXPIRED: {
    vi: {
      title: 'Mã xác minh đã hết hiệu lực',
      detail: 'Mã đã hết hạn, đã được dùng hoặc đã nhập sai quá nhiều lần. Hãy yêu cầu mã mới.',
    },
    en: {
      title: 'Code expired',
      detail: 'The code has expired, was used, or had too many wrong tries. Ask for a new one.',
    },
  },
});

declare module '@app/core' {
  interface ProblemCatalogues {
    applicants: typeof APPLICANT_PROBLEMS;
  }
}
