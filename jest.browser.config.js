/** Browser suites: the real app on a free port, with its workers, driven by Debian's Chromium through playwright-core. */
module.exports = {
  displayName: 'browser',
  rootDir: '.',
  ...require('./jest.common'),
  testRegex: 'test/browser/.*\\.browser-spec\\.ts$',
  globalSetup: '<rootDir>/test/setup/global-setup.ts',
  globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
  maxWorkers: 2,
  // A journey walks three people through a dozen pages, with the queues in between.
  testTimeout: 90000,
};
