// Unit tests: pure logic beside the code, no server needed.
const { moduleNameMapper, transform } = require('./jest.shared');

/** @type {import('jest').Config} */
module.exports = {
  rootDir: __dirname,
  testEnvironment: 'node',
  roots: ['<rootDir>/apps', '<rootDir>/libs', '<rootDir>/tools'],
  testMatch: ['**/*.spec.ts'],
  transform,
  moduleNameMapper,
};
