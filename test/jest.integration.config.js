// Integration and end-to-end tests: real Kafka, Schema Registry and Redis (see test/setup/global-setup.ts).
const path = require('node:path');
const { moduleNameMapper, transform } = require('../jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: path.join(__dirname, '..'),
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform,
  moduleNameMapper,
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/integration-timeout.ts'],
  slowTestThreshold: 30,
};
