import { applyDecorators, FactoryProvider } from '@nestjs/common';
import { plainToInstance, Transform } from 'class-transformer';
import { IsInt, Max, Min, validateSync } from 'class-validator';

import { APP_CONFIG } from './config.token';

/** For `@Transform`: environment variables are strings, and an empty one counts as absent. */
export const envInt = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : Number(value);
export const envBool = ({ value }: { value: unknown }) =>
  value === undefined || value === '' ? undefined : value === 'true' || value === '1';

/**
 * An integer variable of at least `min` (and at most `max`): `@EnvInt(1) RATE_LIMIT_EXAMPLE = 30;`. The
 * checks are listed bottom up, as a stack of decorators applies them, so problems are named in that order.
 */
export const EnvInt = (min: number, max?: number) =>
  applyDecorators(...(max === undefined ? [] : [Max(max)]), Min(min), IsInt(), Transform(envInt));

/**
 * Reads the variables of `Variables` (a class-validator class whose property names are the variable names
 * and whose initial values are the defaults) from `env`, with every problem found.
 */
export function readVariables<V extends object>(
  Variables: new () => V,
  env: NodeJS.ProcessEnv,
): { values: V; problems: string[] } {
  const values = plainToInstance(Variables, { ...env }, { exposeDefaultValues: true });
  const problems = validateSync(values, { whitelist: false }).flatMap((error) =>
    Object.values(error.constraints ?? {}),
  );
  return { values, problems };
}

/** What the loaded configuration keeps of each lib's settings. */
export interface LoadedSettings {
  readonly settings: ReadonlyMap<Settings<unknown>, unknown>;
}

/** A lib's settings: the environment variables it reads and the typed value it makes of them. */
export interface Settings<T> {
  readonly name: string;
  /** Injection token of the value. */
  readonly token: symbol;
  /** Provides the value from the loaded configuration: list it in the lib's module and export its token. */
  readonly provider: FactoryProvider<T>;
  read(env: NodeJS.ProcessEnv): { value: T; problems: string[] };
}

export type SettingsOf<S> = S extends Settings<infer T> ? T : never;

const defined: Settings<unknown>[] = [];

/**
 * Declares a lib's settings, at the top level of its `<lib>.settings.ts` (exported from its index). The
 * configuration loaded at boot validates them with core's and every other lib's, and names every problem
 * at once; a service then injects the value:
 *
 *   export const EXAMPLE_SETTINGS = defineSettings('example', ExampleVariables, (env) => ({ ... }));
 *   constructor(@Inject(EXAMPLE_SETTINGS.token) settings: SettingsOf<typeof EXAMPLE_SETTINGS>)
 *
 * `check` finds problems that span several variables.
 */
export function defineSettings<V extends object, T>(
  name: string,
  Variables: new () => V,
  toValue: (values: V) => T,
  check: (values: V) => string[] = () => [],
): Settings<T> {
  const token = Symbol(`${name} settings`);
  const settings: Settings<T> = {
    name,
    token,
    provider: {
      provide: token,
      inject: [APP_CONFIG],
      useFactory: (config: LoadedSettings): T => {
        if (!config.settings.has(settings)) {
          throw new Error(`The ${name} settings were defined after the configuration was loaded`);
        }
        return config.settings.get(settings) as T;
      },
    },
    read(env) {
      const { values, problems } = readVariables(Variables, env);
      problems.push(...check(values));
      return { value: toValue(values), problems };
    },
  };
  defined.push(settings);
  return settings;
}

/** Every lib's settings declared so far in this process. */
export function definedSettings(): readonly Settings<unknown>[] {
  return defined;
}
