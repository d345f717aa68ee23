import { randomUUID } from 'node:crypto';

import { LoggerModule } from 'nestjs-pino';

import { AppConfig } from '../config/app-config';
import { APP_CONFIG } from '../config/config.module';

const REQUEST_ID = /^[A-Za-z0-9._-]{8,64}$/;

/** Structured logs with request ids; URLs lose their query string, which may carry a phone number. */
export const loggerModule = LoggerModule.forRootAsync({
  inject: [APP_CONFIG],
  useFactory: (config: AppConfig) => ({
    pinoHttp: {
      level: config.logLevel,
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: string; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          path: req.url.split('?')[0],
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      redact: ['req.headers', 'res.headers'],
      autoLogging: {
        ignore: (req) => req.url === '/metrics' || (req.url ?? '').startsWith('/api/v1/health'),
      },
    },
  }),
});
