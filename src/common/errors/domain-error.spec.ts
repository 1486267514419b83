import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as common from './domain-error';
import { DomainError } from './domain-error';
import { LANGUAGES } from '../i18n/languages';
import { formatTranslation } from '../i18n/translations.module';
import * as matching from '../../modules/matching/matching.errors';
import * as needs from '../../modules/needs/needs.errors';
import * as offers from '../../modules/offers/offers.errors';
import * as pickups from '../../modules/pickups/pickups.errors';
import * as users from '../../modules/users/users.errors';

const catalogue = (language: string): Record<string, string> =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'i18n', language, 'errors.json'), 'utf8'));

/** Every domain error the service raises, as it is raised. */
const raised: Record<string, DomainError[]> = {
  matchNotProposed: [matching.matchNotProposed('accepted')],
  notYourHouse: [needs.notYourHouse()],
  needNotOpen: [needs.needNotOpen('cancelled')],
  'needs.quantityBelowAllocated': [needs.quantityBelowAllocated(3)],
  neededByInPast: [needs.neededByInPast()],
  unknownHouseFilter: [needs.unknownHouseFilter('nowhere')],
  offerNotChangeable: [offers.offerNotChangeable('withdrawn')],
  offerNotWithdrawable: [offers.offerNotWithdrawable('delivered')],
  'offers.quantityBelowAllocated': [offers.quantityBelowAllocated(2)],
  noFutureWindow: [offers.noFutureWindow()],
  windowTooLong: [offers.windowTooLong(1, 14)],
  windowTooFar: [offers.windowTooFar(0, 90)],
  pickupAlreadyAssigned: [pickups.pickupAlreadyAssigned()],
  pickupHasNoWindow: [pickups.pickupHasNoWindow()],
  vehicleTooSmall: [pickups.vehicleTooSmall('large'), pickups.vehicleTooSmall('medium'), pickups.vehicleTooSmall('small')],
  pickupOverlaps: [pickups.pickupOverlaps()],
  pickupWrongState: (['released', 'marked collected', 'delivered', 'reported as failed', 'cancelled'] as const).map((action) => pickups.pickupWrongState('delivered', action)),
  notYourPickup: [pickups.notYourPickup()],
  volunteersListUnassigned: [pickups.volunteersListUnassigned()],
  pickupInProgress: [pickups.pickupInProgress()],
  emailTaken: [users.emailTaken()],
  unknownHouse: [users.unknownHouse('nowhere')],
  houseOnlyForCoordinators: [users.houseOnlyForCoordinators()],
  passwordIsEmail: [users.passwordIsEmail()],
  postcodeRequired: [users.postcodeRequired()],
  notFound: (['Offer', 'Need', 'Match', 'Pickup', 'House', 'User', 'Notification'] as const).map((what) => common.notFound(what)),
  invalidCursor: [common.invalidCursor()],
  tokenRequired: [common.tokenRequired()],
  tokenInvalid: [common.tokenInvalid()],
  wrongCredentials: [common.wrongCredentials()],
  calendarKeyRequired: [common.calendarKeyRequired()],
  roleRequired: [common.roleRequired(['coordinator', 'admin'])],
  unknownCategory: [common.unknownCategory('categoryCode', 'spaceships')],
  impactOfOwnHouse: [common.impactOfOwnHouse()],
  adminNotErasable: [common.adminNotErasable()],
};

describe('domain errors in nl, fr and en (src/i18n/*/errors.json)', () => {
  it('lists every factory of every *.errors.ts and of domain-error.ts', () => {
    const generic = ['forbidden', 'conflict', 'badRequest', 'unauthorized', 'DomainError'];
    const modules = { matching, needs, offers, pickups, users };
    const names = [
      ...Object.entries(modules).flatMap(([module, exports]) =>
        Object.keys(exports).map((name) => (name === 'quantityBelowAllocated' ? `${module}.${name}` : name)),
      ),
      ...Object.keys(common).filter((name) => !generic.includes(name)),
    ];
    expect(names.filter((name) => raised[name] === undefined)).toEqual([]);
  });

  it.each(Object.entries(raised))('%s: has a text in every language, and the English one is the message', (_name, errors) => {
    for (const error of errors) {
      for (const language of LANGUAGES) {
        const template = catalogue(language)[error.key];
        expect([error.key, language, typeof template]).toEqual([error.key, language, 'string']);
        const text = formatTranslation(template, Object.fromEntries(Object.entries(error.args).map(([k, v]) => [k, String(v)])));
        expect(text).not.toMatch(/\{\w+\}/);
        if (language === 'en') expect(text).toBe(error.message);
      }
    }
  });
});
