/** Queue names travel inside Redis with every job: never rename one, add a new one. */
export enum ApplicantQueue {
  Sms = 'sms',
}

/** The id of a stored message: never the phone number or the text. */
export interface SmsJob {
  messageId: string;
}
