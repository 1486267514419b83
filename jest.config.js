/** Two projects: unit specs beside the code (no I/O), and e2e suites against the real PostgreSQL and Redis. */
const common = require('./jest.common');

module.exports = {
  projects: [
    { ...common, displayName: 'unit', rootDir: 'src', testRegex: '\\.spec\\.ts$' },
    {
      ...common,
      displayName: 'e2e',
      rootDir: '.',
      testRegex: 'test/.*\\.e2e-spec\\.ts$',
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
  maxWorkers: 2,
  // Hooks start real applications, databases and processes; a slow CI machine needs the margin.
  testTimeout: 30000,
};
