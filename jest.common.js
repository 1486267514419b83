/** What every Jest project of this repository shares: TypeScript through ts-jest, in Node. */
module.exports = {
  moduleFileExtensions: ['js', 'json', 'ts'],
  transform: { '^.+\\.ts$': 'ts-jest' },
  testEnvironment: 'node',
};
