import { ConfigError, loadConfig } from './app-config';

const STRONG_SECRET = 'k3y-for-tests-0123456789-abcdefghijkl';

function refusal(env: NodeJS.ProcessEnv): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error;
    throw error;
  }
  throw new Error(`loadConfig accepted ${JSON.stringify(env)}`);
}

/** The operator reads one log line that names the variable to fix. */
function expectRefusalNaming(env: NodeJS.ProcessEnv, variable: string): string {
  const { message } = refusal(env);
  expect(message).not.toMatch(/[\r\n]/);
  expect(message.startsWith(`Invalid configuration: ${variable} `)).toBe(true);
  return message;
}

describe('loadConfig', () => {
  describe('defaults', () => {
    it('runs a local development setup when nothing is set', () => {
      const config = loadConfig({});

      expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/inkind');
      expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
      expect(config.PORT).toBe(3000);
      expect(config.APP_ROLE).toBe('all');
      expect(config.NODE_ENV).toBe('development');
      expect(config.JWT_TTL).toBe('12h');
    });

    it('treats empty strings as unset', () => {
      const config = loadConfig({
        NODE_ENV: '',
        DATABASE_URL: '',
        REDIS_URL: '',
        PORT: '',
        APP_ROLE: '',
        JWT_SECRET: '',
        ADMIN_EMAIL: '',
        ADMIN_PASSWORD: '',
      });

      expect(config.NODE_ENV).toBe('development');
      expect(config.DATABASE_URL).toBe('postgres://postgres@127.0.0.1:5432/inkind');
      expect(config.REDIS_URL).toBe('redis://127.0.0.1:6379');
      expect(config.PORT).toBe(3000);
      expect(config.APP_ROLE).toBe('all');
      expect(config.JWT_SECRET).toBeUndefined();
      expect(config.ADMIN_EMAIL).toBeUndefined();
      expect(config.ADMIN_PASSWORD).toBeUndefined();
    });

    it('ignores environment variables it does not know', () => {
      expect(() => loadConfig({ HOME: '/root', PATH: '/usr/bin', npm_config_cache: '/tmp' })).not.toThrow();
    });
  });

  describe('PORT', () => {
    it('is read as a number', () => {
      expect(loadConfig({ PORT: '8080' }).PORT).toBe(8080);
    });

    it.each(['1', '65535'])('accepts the bound %s', (port) => {
      expect(loadConfig({ PORT: port }).PORT).toBe(Number(port));
    });

    it.each(['abc', '0', '70000', '65536', '-1', '80.5', '8080abc'])('refuses %p with one line naming PORT', (port) => {
      expectRefusalNaming({ PORT: port }, 'PORT');
    });
  });

  describe('URLs, role and environment', () => {
    it.each([
      'postgresql://inkind:pw@db.internal:5432/inkind_prod?sslmode=require',
      'postgres://postgres@127.0.0.1/inkind-test',
    ])('accepts the database URL %s', (url) => {
      expect(loadConfig({ DATABASE_URL: url }).DATABASE_URL).toBe(url);
    });

    it.each(['mysql://127.0.0.1:3306/inkind', 'postgres://127.0.0.1:5432', 'postgres://127.0.0.1:5432/', 'not a url'])(
      'refuses the database URL %p naming DATABASE_URL',
      (url) => {
        expectRefusalNaming({ DATABASE_URL: url }, 'DATABASE_URL');
      },
    );

    it.each(['redis://127.0.0.1:6379', 'rediss://default:pw@cache.internal:6380/1'])('accepts the Redis URL %s', (url) => {
      expect(loadConfig({ REDIS_URL: url }).REDIS_URL).toBe(url);
    });

    it.each(['http://127.0.0.1:6379', '127.0.0.1:6379', 'redis://'])('refuses the Redis URL %p naming REDIS_URL', (url) => {
      expectRefusalNaming({ REDIS_URL: url }, 'REDIS_URL');
    });

    it.each(['all', 'api', 'worker'] as const)('accepts APP_ROLE=%s', (role) => {
      expect(loadConfig({ APP_ROLE: role }).APP_ROLE).toBe(role);
    });

    it.each(['web', 'ALL', 'workers'])('refuses APP_ROLE=%p naming APP_ROLE', (role) => {
      expectRefusalNaming({ APP_ROLE: role }, 'APP_ROLE');
    });

    it.each(['staging', 'prod', 'Production'])('refuses NODE_ENV=%p naming NODE_ENV', (nodeEnv) => {
      expectRefusalNaming({ NODE_ENV: nodeEnv }, 'NODE_ENV');
    });

    it('refuses a JWT_TTL that is not a duration', () => {
      expectRefusalNaming({ JWT_TTL: '1w' }, 'JWT_TTL');
      expect(loadConfig({ JWT_TTL: '15m' }).JWT_TTL).toBe('15m');
    });

    it('shows the refused value of a non-secret variable so the operator can spot the typo', () => {
      expect(refusal({ APP_ROLE: 'wroker' }).message).toContain('wroker');
    });
  });

  describe('JWT_SECRET', () => {
    it('is required in production', () => {
      expectRefusalNaming({ NODE_ENV: 'production' }, 'JWT_SECRET');
    });

    it.each(['', '   '])('is still required in production when set to %p', (secret) => {
      expectRefusalNaming({ NODE_ENV: 'production', JWT_SECRET: secret }, 'JWT_SECRET');
    });

    it.each(['production', 'development'])('refuses a secret shorter than 32 characters in %s without printing it', (nodeEnv) => {
      const secret = 'tiny-but-unique-s3cret-31-chars';
      expect(secret).toHaveLength(31);

      const message = expectRefusalNaming({ NODE_ENV: nodeEnv, JWT_SECRET: secret }, 'JWT_SECRET');

      expect(message).not.toContain(secret);
      expect(message).not.toContain('s3cret');
    });

    it('accepts a secret of 32 characters in production and uses it', () => {
      const secret = 'x'.repeat(32);
      const config = loadConfig({ NODE_ENV: 'production', JWT_SECRET: secret });

      expect(config.jwtSecret).toBe(secret);
    });

    it.each(['development', 'test'])('falls back to a development secret in %s', (nodeEnv) => {
      const config = loadConfig({ NODE_ENV: nodeEnv });

      expect(config.JWT_SECRET).toBeUndefined();
      expect(typeof config.jwtSecret).toBe('string');
      expect(config.jwtSecret.length).toBeGreaterThanOrEqual(32);
    });

    it('prefers a configured secret to the development fallback', () => {
      expect(loadConfig({ NODE_ENV: 'development', JWT_SECRET: STRONG_SECRET }).jwtSecret).toBe(STRONG_SECRET);
    });
  });

  describe('ADMIN_EMAIL and ADMIN_PASSWORD', () => {
    const password = 'Adm1n-pa55word-for-tests';

    it('accepts both together', () => {
      const config = loadConfig({ ADMIN_EMAIL: 'admin@inkind.be', ADMIN_PASSWORD: password });

      expect(config.ADMIN_EMAIL).toBe('admin@inkind.be');
      expect(config.ADMIN_PASSWORD).toBe(password);
    });

    it('accepts neither', () => {
      const config = loadConfig({});

      expect(config.ADMIN_EMAIL).toBeUndefined();
      expect(config.ADMIN_PASSWORD).toBeUndefined();
    });

    it('refuses an e-mail without a password, naming ADMIN_PASSWORD', () => {
      expectRefusalNaming({ ADMIN_EMAIL: 'admin@inkind.be' }, 'ADMIN_PASSWORD');
    });

    it('refuses a password without an e-mail, naming ADMIN_EMAIL and not printing the password', () => {
      const message = expectRefusalNaming({ ADMIN_PASSWORD: password }, 'ADMIN_EMAIL');

      expect(message).not.toContain(password);
    });

    it('refuses an e-mail that is blank while the password is set', () => {
      expectRefusalNaming({ ADMIN_EMAIL: '  ', ADMIN_PASSWORD: password }, 'ADMIN_EMAIL');
    });

    it('refuses a malformed e-mail without printing the password', () => {
      const message = expectRefusalNaming({ ADMIN_EMAIL: 'admin-at-inkind', ADMIN_PASSWORD: password }, 'ADMIN_EMAIL');

      expect(message).not.toContain(password);
    });

    it('refuses a short password without printing it', () => {
      const shortPassword = 'Sh0rtPw!';
      const message = expectRefusalNaming({ ADMIN_EMAIL: 'admin@inkind.be', ADMIN_PASSWORD: shortPassword }, 'ADMIN_PASSWORD');

      expect(message).not.toContain(shortPassword);
    });

    it('refuses an overly long password without printing it', () => {
      const longPassword = 'L0ngPw-'.repeat(30);
      const message = expectRefusalNaming({ ADMIN_EMAIL: 'admin@inkind.be', ADMIN_PASSWORD: longPassword }, 'ADMIN_PASSWORD');

      expect(message).not.toContain('L0ngPw-');
    });
  });

  describe('databaseName', () => {
    it('is the database of the default URL', () => {
      expect(loadConfig({}).databaseName).toBe('inkind');
    });

    it('is the path of the URL without credentials or query', () => {
      const config = loadConfig({ DATABASE_URL: 'postgresql://app:pw@db.internal:5432/inkind_test?sslmode=require' });

      expect(config.databaseName).toBe('inkind_test');
    });
  });
});
