import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';

import type { ConsultationJob, ConsultationSettings, LeadDeliveryService } from '@app/consultations';
import type { Job } from 'bullmq';

import { AgencyNotificationProcessor } from './agency-notification.processor';

describe('AgencyNotificationProcessor', () => {
  let server: Server;
  let port: number;
  let hits = 0;

  beforeAll(async () => {
    server = createServer((_request, response) => {
      hits++;
      response.end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  const deliver = async (url: string, allowPrivate: boolean) => {
    const delivery = {
      notification: jest
        .fn()
        .mockResolvedValue({ url, body: '{}', signature: 'sha256=00', deliveryId: 'delivery-1' }),
      recordDelivery: jest.fn().mockResolvedValue(undefined),
    };
    const processor = new AgencyNotificationProcessor(
      delivery as unknown as LeadDeliveryService,
      { webhookAllowPrivate: allowPrivate } as ConsultationSettings,
    );
    const job = { data: { requestId: 'request-1' } } as Job<ConsultationJob>;
    try {
      const outcome = await processor.process(job).catch((error: Error) => error.message);
      return { outcome, recorded: delivery.recordDelivery.mock.calls[0] as unknown[] };
    } finally {
      await processor.onModuleDestroy();
    }
  };

  it('refuses a webhook whose name resolves to a loopback address when it connects, and records why', async () => {
    hits = 0;
    const { outcome, recorded } = await deliver(`https://localhost:${port}/hook`, false);
    expect(recorded).toEqual(['request-1', 'consultation.assigned', 'refused: private or loopback address']);
    expect(outcome).toBe('webhook delivery failed: refused: private or loopback address');
    const literal = await deliver(`https://[::7f00:1]:${port}/hook`, false);
    expect(literal.recorded).toEqual([
      'request-1',
      'consultation.assigned',
      'refused: private or loopback address',
    ]);
    expect(hits).toBe(0);
  });

  it('delivers to a loopback receiver when WEBHOOK_ALLOW_PRIVATE is set (development, tests)', async () => {
    hits = 0;
    const { outcome, recorded } = await deliver(`http://localhost:${port}/hook`, true);
    expect(outcome).toBe('delivered');
    expect(recorded).toEqual(['request-1', 'consultation.assigned', null]);
    expect(hits).toBe(1);
  });
});
