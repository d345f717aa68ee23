// Resolves the @app/* path aliases inside the compiled dist/ tree (XKLD_DIST: a build elsewhere, e.g. one
// of `tsc -p tsconfig.build.json --outDir <dir>` that a test runs while dist/ is someone else's).
const { join } = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');

register({ baseUrl: process.env.XKLD_DIST || join(__dirname, '..', 'dist'), paths: compilerOptions.paths });
