// Resolves the @app/* path aliases inside the compiled dist/ tree.
const { join } = require('node:path');
const { register } = require('tsconfig-paths');
const { compilerOptions } = require('../tsconfig.json');

register({ baseUrl: join(__dirname, '..', 'dist'), paths: compilerOptions.paths });
