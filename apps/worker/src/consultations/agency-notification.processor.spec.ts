import { AgencyNotificationProcessor } from './agency-notification.processor';
import type { WebhookDispatcher } from './webhook-dispatcher';

describe('AgencyNotificationProcessor', () => {
  it('only wakes the dispatcher: the delivery row, not the job, says what to send', async () => {
    const dispatcher = { wake: jest.fn() };
    const processor = new AgencyNotificationProcessor(dispatcher as unknown as WebhookDispatcher);
    expect(await processor.process()).toBe('handed to the webhook dispatcher');
    expect(dispatcher.wake).toHaveBeenCalledTimes(1);
  });
});
