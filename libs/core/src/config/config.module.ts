import { Global, Module } from '@nestjs/common';

import { PersonalDataCipher } from '../crypto/personal-data';
import { AppConfig, loadConfig } from './app-config';
import { APP_CONFIG } from './config.token';

export { APP_CONFIG };

@Global()
@Module({
  providers: [
    { provide: APP_CONFIG, useFactory: (): AppConfig => loadConfig() },
    {
      provide: PersonalDataCipher,
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => new PersonalDataCipher(config.encryptionKey),
    },
  ],
  exports: [APP_CONFIG, PersonalDataCipher],
})
export class AppConfigModule {}
