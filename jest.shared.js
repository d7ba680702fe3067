// Settings shared by the unit and the integration jest configs.
const path = require('node:path');
const fs = require('node:fs');

const swcrc = JSON.parse(fs.readFileSync(path.join(__dirname, '.swcrc'), 'utf8'));
delete swcrc.$schema;

const libs = fs.readdirSync(path.join(__dirname, 'libs'));
const moduleNameMapper = Object.fromEntries(
  libs.map((lib) => [`^@workpipe/${lib}$`, `<rootDir>/libs/${lib}/src`]),
);

module.exports = {
  moduleNameMapper,
  transform: { '^.+\\.ts$': ['@swc/jest', swcrc] },
};
