import {
  acceptJsonOnly,
  addSecurityHeaders,
  AppValidationPipe,
  clientErrorHandler,
  createLogger,
  frameworkErrorHandler,
  instrumentHttp,
  limitJsonBodies,
  loadConfig,
  logRequests,
  PinoLoggerService,
  ProblemFilter,
  refuseUnroutable,
  requestId,
  securityHeaders,
} from '@app/core';
import { NestFactory } from '@nestjs/core';
import { LogController } from 'fastify';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { mountQueueBoard, mountWeb, webRoutes } from '@app/web';

import { ApiModule } from './api.module';
import { closeConnectionsWhenDraining } from './drain';
import { SMS_SIGNATURE_SCHEME } from './job-alerts/alert-stops.controller';
import { completeDocument, describeProblems, describeValidation } from './openapi';
import { SystemQueues } from './operations/system-queues';

export const API_PREFIX = 'api/v1';
const DOCS_PATH = '/api/docs';

/** Builds the HTTP application exactly as production runs it; tests and benchmarks use it too. */
export async function createApiApp(config = loadConfig()): Promise<NestFastifyApplication> {
  const logger = createLogger(config.logLevel);
  const headers = securityHeaders({ hsts: config.env !== 'development' });
  const adapter = new FastifyAdapter({
    loggerInstance: logger,
    // Fastify's two lines per request are replaced by logRequests' one.
    logController: new LogController({ disableRequestLogging: true }),
    genReqId: requestId,
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.http.trustedProxies.length > 0 ? config.http.trustedProxies : false,
    // Errors answered before any route are problem+json too, never Fastify's own text echoing the request.
    frameworkErrors: frameworkErrorHandler(headers.api),
    clientErrorHandler: clientErrorHandler(headers.api),
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, {
    logger: new PinoLoggerService(logger),
    // Bodies are parsed by acceptJsonOnly's parser alone.
    bodyParser: false,
  });
  const fastify = app.getHttpAdapter().getInstance();
  acceptJsonOnly(fastify);
  addSecurityHeaders(fastify, headers, DOCS_PATH);
  refuseUnroutable(fastify, { maxUrlLength: 8 * 1024 });
  // The pages for people (apps/web) at `/`, beside the JSON API under /api/v1.
  mountWeb(app);
  // The admin's Bull Board at /admin/queues, behind the console's session (apps/web/src/console/queue-board.ts).
  mountQueueBoard(app, app.get(SystemQueues).all());
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics', ...webRoutes()] });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  // No enableShutdownHooks: main.ts drains HTTP on SIGTERM first, then closes the app (see drainApi).
  logRequests(app.getHttpAdapter().getInstance());
  limitJsonBodies(app.getHttpAdapter().getInstance(), { maxDepth: 32, maxKeys: 1000 });
  instrumentHttp(app.getHttpAdapter().getInstance());
  closeConnectionsWhenDraining(app.getHttpAdapter().getInstance());

  // Validation constraints and problem answers come from the code's own metadata (see openapi.ts).
  describeValidation();
  describeProblems(app);
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('xkld API')
      .setDescription(
        'Labour-export recruitment marketplace. Errors are RFC 9457 problem+json with a stable `code`; ' +
          'titles follow Accept-Language (vi by default, en).',
      )
      .setVersion('1')
      .addBearerAuth()
      .addApiKey(
        {
          type: 'apiKey',
          in: 'header',
          name: 'X-Signature',
          description:
            'sha256=<hex HMAC-SHA256 of the body under SMS_HTTP_SECRET>, as the SMS provider signs',
        },
        SMS_SIGNATURE_SCHEME,
      )
      .build(),
  );
  SwaggerModule.setup('api/docs', app, completeDocument(document), { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
