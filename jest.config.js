/** Unit specs sit beside the code (*.spec.ts); end-to-end specs against real Postgres and Redis in test/. */
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
  },
];

module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/test'],
  testRegex: '\\.(spec|e2e-spec)\\.ts$',
  transform: { '^.+\\.(ts|js)$': swc },
  // ESM-only dependencies of @fastify/static; Node loads them natively, jest needs them transformed.
  transformIgnorePatterns: ['/node_modules/(?!(content-disposition)/)'],
  moduleNameMapper: {
    '^@app/core$': '<rootDir>/libs/core/src',
    '^@app/web$': '<rootDir>/apps/web/src',
    '^@app/(reference|agencies|job-orders|consultations|data-rights|accounts|applicants|job-alerts|open-data|compliance|regulation|ranking|recruiters)$':
      '<rootDir>/libs/$1/src',
  },
  globalSetup: '<rootDir>/test/global-setup.ts',
  globalTeardown: '<rootDir>/test/global-teardown.ts',
  testTimeout: 30000,
};
