/**
 * `npm run test:faults`: the fault suites, apart from `npm test` because they start and kill real
 * processes (the service, a TCP proxy in front of PostgreSQL or Redis) and take minutes, not seconds.
 * Two suites at a time: the worker suite mostly waits for a killed worker's job locks to expire, and the
 * others run meanwhile (the timings they assert leave a wide margin for the neighbour).
 */
module.exports = {
  displayName: 'faults',
  rootDir: '.',
  ...require('./jest.common'),
  testRegex: 'test/faults/.*\\.faults-spec\\.ts$',
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  testTimeout: 120000,
};
