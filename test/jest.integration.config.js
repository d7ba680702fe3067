// Integration and end-to-end tests: real Kafka, Schema Registry and Redis (see test/setup/global-setup.ts).
const path = require('node:path');
const { moduleNameMapper, transform } = require('../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The chaos tests (test/chaos) run in a jest of their own, `npm run test:chaos`, the last step of
  // `npm test`: with --forceExit, because after a broker restart a kafkajs client of the test
  // process can keep a socket open past its disconnect() (tools/chaos/README.md), and the rest of
  // the suite stays checked for open handles.
  testPathIgnorePatterns: process.env.WORKPIPE_CHAOS_TEST === '1' ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/chaos/'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
  slowTestThreshold: 30,
};
