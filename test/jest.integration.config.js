// Integration and end-to-end tests: real Kafka, Schema Registry and Redis (see test/setup/global-setup.ts).
const path = require('node:path');
const { moduleNameMapper, transform } = require('../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The chaos test (test/chaos) runs on its own, `npm run test:chaos`: in 1 run of 10 the stats
  // service's events consumer stopped fetching, silently, after a broker restart (tools/chaos/README.md).
  testPathIgnorePatterns: process.env.WORKPIPE_CHAOS_TEST === '1' ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/chaos/'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
  slowTestThreshold: 30,
};
