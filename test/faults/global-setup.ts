import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import e2eGlobalSetup from '../setup/global-setup';

const ROOT = join(__dirname, '..', '..');

/**
 * The e2e setup (a migrated template database per run), and a compiled copy of the service for
 * the processes the fault suites spawn: `node <build>/src/main.js` starts in a fraction of the
 * time ts-node needs. The copy lives outside the checkout, keyed by a hash of the sources, so it
 * is never stale, never clashes with `npm run build` (which empties dist/) and is reused by the
 * next run when nothing changed.
 */
export default async function globalSetup(): Promise<void> {
  await e2eGlobalSetup();
  process.env.INKIND_FAULTS_BUILD = buildService();
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    return entry.isDirectory() ? sourceFiles(path) : [path];
  });
}

function buildService(): string {
  const inputs = [
    ...sourceFiles(join(ROOT, 'src')),
    ...sourceFiles(join(ROOT, 'migrations')),
    join(ROOT, 'scripts', 'check-consistency.ts'),
    join(ROOT, 'tsconfig.json'),
    join(ROOT, 'tsconfig.build.json'),
  ].sort();
  const hash = createHash('sha256');
  for (const file of inputs) hash.update(relative(ROOT, file)).update('\0').update(readFileSync(file)).update('\0');
  const dir = join(tmpdir(), `inkind-faults-build-${hash.digest('hex').slice(0, 16)}`);
  if (existsSync(join(dir, 'src', 'main.js'))) return dir;

  const started = Date.now();
  // Builds of sources that changed since, left by earlier runs.
  for (const entry of readdirSync(tmpdir())) {
    const old = join(tmpdir(), entry);
    if (entry.startsWith('inkind-faults-build-') && Date.now() - statSync(old).mtimeMs > 6 * 3_600_000) rmSync(old, { recursive: true, force: true });
  }
  const staging = `${dir}.${process.pid}`;
  rmSync(staging, { recursive: true, force: true });
  mkdirSync(staging, { recursive: true });
  try {
    compileInto(staging);
  } catch (error) {
    rmSync(staging, { recursive: true, force: true });
    throw error;
  }
  try {
    renameSync(staging, dir);
  } catch {
    // Another run built the same sources meanwhile.
    rmSync(staging, { recursive: true, force: true });
  }
  console.log(`\nfaults: built the service into ${dir} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  return dir;
}

function compileInto(staging: string): void {
  const tsconfig = join(staging, 'tsconfig.json');
  writeFileSync(
    tsconfig,
    JSON.stringify({
      extends: join(ROOT, 'tsconfig.build.json'),
      // Types are checked by `npm run typecheck`; here only the JavaScript matters.
      compilerOptions: { outDir: staging, rootDir: ROOT, noCheck: true, incremental: false, types: [] },
      include: [join(ROOT, 'src/**/*.ts'), join(ROOT, 'migrations/**/*.ts'), join(ROOT, 'scripts/check-consistency.ts')],
      exclude: [join(ROOT, '**/*.spec.ts')],
    }),
  );
  execFileSync(process.execPath, [join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', tsconfig], { stdio: 'inherit' });
  // Assets beside the code (translations, reference data), as nest-cli.json copies them to dist/.
  for (const file of sourceFiles(join(ROOT, 'src'))) {
    if (file.endsWith('.ts') || !statSync(file).isFile()) continue;
    const target = join(staging, relative(ROOT, file));
    mkdirSync(join(target, '..'), { recursive: true });
    cpSync(file, target);
  }
  // Packages and the web pages resolve from the checkout.
  symlinkSync(join(ROOT, 'node_modules'), join(staging, 'node_modules'), 'dir');
  if (existsSync(join(ROOT, 'public'))) symlinkSync(join(ROOT, 'public'), join(staging, 'public'), 'dir');
  rmSync(tsconfig);
}
