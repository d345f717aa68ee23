import { defineSettings, SettingsOf } from '@app/core';
import { Transform } from 'class-transformer';
import { IsOptional, IsUrl } from 'class-validator';

class WebVariables {
  /** Where the pages are reached from the internet (canonical links, sitemap, Open Graph); else the request's host. */
  @Transform(({ value }: { value: unknown }) => (value === '' ? undefined : value))
  @IsOptional()
  @IsUrl({ protocols: ['http', 'https'], require_protocol: true, require_tld: false })
  WEB_PUBLIC_URL?: string;
}

export const WEB_SETTINGS = defineSettings('web', WebVariables, (env) => ({
  publicUrl: env.WEB_PUBLIC_URL?.replace(/\/+$/, ''),
}));

export type WebSettings = SettingsOf<typeof WEB_SETTINGS>;
