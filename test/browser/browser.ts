import { AddressInfo } from 'node:net';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Browser, BrowserContext, chromium, Page } from 'playwright-core';
import { Api } from '../helpers/api';
import { startApp, TestApp } from '../helpers/test-app';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
export const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** The narrowest phone the pages are made for. */
export const PHONE = { width: 375, height: 812 };

export interface Site {
  t: TestApp;
  api: Api;
  baseUrl: string;
  browser: Browser;
  close(): Promise<void>;
}

/** The whole application (API, workers, queues, own database) on a free port, and a headless Chromium. */
export async function startSite(): Promise<Site> {
  const t = await startApp({}, { jobs: true });
  // The browser lives in real time: windows the donor picks must be in the future for the API too.
  t.clock.set(new Date());
  await t.app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  return {
    t,
    api: new Api(t.app),
    baseUrl: `http://127.0.0.1:${port}`,
    browser,
    close: async () => {
      await browser.close();
      await t.close();
    },
  };
}

export interface Visitor {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of every page this visitor opened. */
  errors: string[];
}

/** A person with a phone-sized browser in a language of their own (navigator.language follows `locale`). */
export async function visitor(site: Site, locale: string, viewport = PHONE): Promise<Visitor> {
  const context = await site.browser.newContext({ baseURL: site.baseUrl, locale, viewport, acceptDownloads: true });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(`console: ${message.text()} (${message.location().url})`);
  });
  page.on('pageerror', (error) => errors.push(`pageerror: ${error.message}`));
  return { context, page, errors };
}

/** Loads the app afresh at a hash route (as a person opening a link would) and waits until it has rendered. */
export async function open(page: Page, hash: string): Promise<void> {
  // Going to the same address again would only change the hash, and show what was already there.
  if (page.url() !== 'about:blank') await page.goto('about:blank');
  await page.goto(`/${hash}`);
  await page.locator('body[data-ready="true"]').waitFor();
  await page.locator('#view:not([aria-busy])').waitFor();
}

/** Nothing sticks out sideways at 375 px: the page needs no horizontal scrolling. */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string, evaluated in the page: this file is compiled without the DOM's types.
  return page.evaluate<number>('document.documentElement.scrollWidth - document.documentElement.clientWidth');
}

export async function screenshot(page: Page, name: string): Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, `${name}.png`), fullPage: true });
}

/** The next weekday (Tuesday to Friday) at least two days ahead, as YYYY-MM-DD in Brussels. */
export function pickupDay(from = new Date()): string {
  const brussels = (d: Date) => new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Brussels', year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  const holidays = ['12-25', '12-26', '01-01', '05-01', '07-21', '08-15', '11-01', '11-11'];
  for (let days = 2; ; days++) {
    const day = new Date(from.getTime() + days * 86_400_000);
    const weekday = new Date(`${brussels(day)}T12:00:00Z`).getUTCDay();
    if (weekday >= 2 && weekday <= 5 && !holidays.includes(brussels(day).slice(5))) return brussels(day);
  }
}
