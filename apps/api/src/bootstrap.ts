import { AppValidationPipe, instrumentHttp, loadConfig, ProblemFilter } from '@app/core';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Logger } from 'nestjs-pino';

import { ApiModule } from './api.module';

export const API_PREFIX = 'api/v1';

/** Builds the HTTP application exactly as production runs it; tests and benchmarks use it too. */
export async function createApiApp(config = loadConfig()): Promise<NestFastifyApplication> {
  const adapter = new FastifyAdapter({
    bodyLimit: 64 * 1024,
    routerOptions: { maxParamLength: 200 },
    trustProxy: config.http.trustedProxyHops || false,
  });
  const app = await NestFactory.create<NestFastifyApplication>(ApiModule, adapter, { bufferLogs: true });
  app.useLogger(app.get(Logger));
  app.setGlobalPrefix(API_PREFIX, { exclude: ['metrics'] });
  app.useGlobalPipes(new AppValidationPipe());
  app.useGlobalFilters(new ProblemFilter());
  app.enableShutdownHooks();
  instrumentHttp(app.getHttpAdapter().getInstance());

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
      .build(),
  );
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs-json' });
  return app;
}
