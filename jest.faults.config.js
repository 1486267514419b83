/**
 * `npm run test:faults`: the fault suites, apart from `npm test` because they start and kill real
 * processes (the service, a TCP proxy in front of PostgreSQL or Redis) and take minutes, not seconds.
 * One suite at a time: each measures timings (shutdown, recovery) that a neighbour would distort.
 */
module.exports = {
  displayName: 'faults',
  rootDir: '.',
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
  testRegex: 'test/faults/.*\\.faults-spec\\.ts$',
  globalSetup: '<rootDir>/test/faults/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 1,
  testTimeout: 120000,
};
