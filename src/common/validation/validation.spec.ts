import 'reflect-metadata';
import { BadRequestException } from '@nestjs/common';
import { ValidationError } from 'class-validator';
import { AvailabilityWindowDto, CreateOfferDto, PickupAddressDto } from '../../modules/offers/dto/offer.dto';
import { RegisterDto } from '../../modules/users/dto/register.dto';
import { createValidationPipe, flattenValidationErrors } from './validation';

type Body = Record<string, unknown>;

const validOffer = (): Body => ({
  categoryCode: 'school-supplies',
  title: "20 children's books",
  quantity: 20,
  condition: 'good',
  size: 'small',
  pickupAddress: { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' },
  availability: [{ from: '2026-12-02T09:00:00+01:00', to: '2026-12-02T12:00:00+01:00' }],
});

const validRegistration = (): Body => ({
  email: 'an.peeters@example.be',
  password: 'correct horse battery',
  name: 'An Peeters',
  role: 'donor',
});

async function validate(value: unknown, metatype: new () => object): Promise<unknown> {
  return createValidationPipe().transform(value, { type: 'body', metatype });
}

/** The 400 answer a client gets for this body. */
async function refusal(value: unknown, metatype: new () => object = CreateOfferDto) {
  try {
    await validate(value, metatype);
  } catch (error) {
    if (error instanceof BadRequestException) {
      return error.getResponse() as { statusCode: number; message: string[]; error: string };
    }
    throw error;
  }
  throw new Error(`the pipe accepted ${JSON.stringify(value)}`);
}

async function messagesFor(value: unknown, metatype?: new () => object): Promise<string[]> {
  return (await refusal(value, metatype)).message;
}

const pathOf = (message: string) => message.split(/[ :]/)[0];

describe('createValidationPipe', () => {
  describe('a valid body', () => {
    it('becomes an instance of the DTO, nested objects included', async () => {
      const offer = await validate(validOffer(), CreateOfferDto);

      expect(offer).toBeInstanceOf(CreateOfferDto);
      const { pickupAddress, availability, quantity } = offer as CreateOfferDto;
      expect(pickupAddress).toBeInstanceOf(PickupAddressDto);
      expect(availability[0]).toBeInstanceOf(AvailabilityWindowDto);
      expect(quantity).toBe(20);
      expect(pickupAddress.postcode).toBe('9000');
    });

    it('has its text fields trimmed', async () => {
      const body = { ...validOffer(), title: '  Books  ', pickupAddress: { street: ' Kerkstraat 12 ', postcode: ' 9000 ', town: 'Gent ' } };

      const offer = (await validate(body, CreateOfferDto)) as CreateOfferDto;

      expect(offer.title).toBe('Books');
      expect(offer.pickupAddress).toEqual({ street: 'Kerkstraat 12', postcode: '9000', town: 'Gent' });
    });

    it('accepts 20 availability windows', async () => {
      const window = { from: '2026-12-02T09:00:00+01:00', to: '2026-12-02T12:00:00+01:00' };
      const offer = (await validate({ ...validOffer(), availability: Array.from({ length: 20 }, () => ({ ...window })) }, CreateOfferDto)) as CreateOfferDto;

      expect(offer.availability).toHaveLength(20);
    });

    it('accepts a registration and normalises the e-mail address', async () => {
      const user = await validate({ ...validRegistration(), email: '  An.Peeters@Example.BE ' }, RegisterDto);

      expect(user).toBeInstanceOf(RegisterDto);
      expect((user as RegisterDto).email).toBe('an.peeters@example.be');
    });
  });

  describe('a refused body', () => {
    it('is answered as a 400 Bad Request with a list of messages', async () => {
      const response = await refusal({ ...validOffer(), quantity: 0 });

      expect(response.statusCode).toBe(400);
      expect(response.error).toBe('Bad Request');
      expect(response.message).toEqual(['quantity must not be less than 1']);
    });

    it('names a nested field by its path', async () => {
      const body = { ...validOffer(), pickupAddress: { street: 'Kerkstraat 12', postcode: '0999', town: 'Gent' } };

      expect(await messagesFor(body)).toEqual(['pickupAddress.postcode must be a Belgian postcode: 4 digits from 1000 to 9999']);
    });

    it('names a field inside an array by its index', async () => {
      const body = {
        ...validOffer(),
        availability: [
          { from: '2026-12-02T09:00:00+01:00', to: '2026-12-02T12:00:00+01:00' },
          { from: '2026-12-03T12:00:00+01:00', to: '2026-12-03T09:00:00+01:00' },
        ],
      };

      expect(await messagesFor(body)).toEqual(['availability.1.to must be later than from']);
    });

    it('refuses a window whose end is before its start', async () => {
      const body = { ...validOffer(), availability: [{ from: '2026-12-02T12:00:00+01:00', to: '2026-12-02T09:00:00+01:00' }] };

      expect(await messagesFor(body)).toEqual(['availability.0.to must be later than from']);
    });

    it('refuses a window whose end equals its start, even written with another offset', async () => {
      const body = { ...validOffer(), availability: [{ from: '2026-12-02T12:00:00+01:00', to: '2026-12-02T11:00:00Z' }] };

      expect(await messagesFor(body)).toEqual(['availability.0.to must be later than from']);
    });

    it.each(['2026-12-02T09:00:00', '2026-12-02 09:00:00+01:00', '2026-12-02'])('refuses the time %p that has no offset', async (from) => {
      const body = { ...validOffer(), availability: [{ from, to: '2026-12-02T12:00:00+01:00' }] };

      const messages = await messagesFor(body);

      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^availability\.0\.from .*offset/);
    });

    it('refuses 21 windows', async () => {
      const window = { from: '2026-12-02T09:00:00+01:00', to: '2026-12-02T12:00:00+01:00' };
      const body = { ...validOffer(), availability: Array.from({ length: 21 }, () => ({ ...window })) };

      expect(await messagesFor(body)).toEqual(['availability must contain at most 20 windows']);
    });

    it('refuses an empty availability', async () => {
      expect(await messagesFor({ ...validOffer(), availability: [] })).toEqual(['availability must contain at least one window']);
    });

    it.each(['0999', '999', '10000', '9000a'])('refuses the postcode %p', async (postcode) => {
      const body = { ...validOffer(), pickupAddress: { street: 'Kerkstraat 12', postcode, town: 'Gent' } };

      expect(await messagesFor(body)).toEqual([expect.stringMatching(/^pickupAddress\.postcode /)]);
    });

    it('does not convert a string quantity in a body', async () => {
      const messages = await messagesFor({ ...validOffer(), quantity: '5' });

      expect(messages).toHaveLength(1);
      expect(messages[0]).toMatch(/^quantity /);
    });

    it('refuses a fractional quantity', async () => {
      expect(await messagesFor({ ...validOffer(), quantity: 2.5 })).toEqual([expect.stringMatching(/^quantity /)]);
    });

    it('says that an unknown property should not exist', async () => {
      expect(await messagesFor({ ...validOffer(), ownerId: 7 })).toEqual(['ownerId should not exist']);
    });

    it('says that an unknown nested property should not exist, by its path', async () => {
      const body = validOffer();
      body.pickupAddress = { street: 'Kerkstraat 12', postcode: '9000', town: 'Gent', lat: 51.05 };
      body.availability = [{ from: '2026-12-02T09:00:00+01:00', to: '2026-12-02T12:00:00+01:00', note: 'ring twice' }];

      expect((await messagesFor(body)).sort()).toEqual(['availability.0.note should not exist', 'pickupAddress.lat should not exist']);
    });

    it('gives exactly one message for each bad field', async () => {
      const body = {
        ...validOffer(),
        title: '',
        quantity: 'lots',
        size: 'huge',
        pickupAddress: { street: '', postcode: 'x', town: 'Gent' },
        availability: [{ from: '2026-12-02T09:00:00', to: '2026-12-02T12:00:00+01:00' }],
      };

      const messages = await messagesFor(body);

      expect(messages.map(pathOf).sort()).toEqual(
        ['availability.0.from', 'pickupAddress.postcode', 'pickupAddress.street', 'quantity', 'size', 'title'].sort(),
      );
    });

    it('names each bad field of a registration, and a role that may not self-register', async () => {
      const body = { email: 'not-an-address', password: 'short', name: 'An', role: 'admin', postcode: '0999' };

      expect(await messagesFor(body, RegisterDto)).toEqual(
        expect.arrayContaining([
          'email must be an e-mail address',
          'role must be one of the following values: donor, volunteer',
          'postcode must be a Belgian postcode: 4 digits from 1000 to 9999',
        ]),
      );
      expect((await messagesFor(body, RegisterDto)).map(pathOf).sort()).toEqual(['email', 'password', 'postcode', 'role']);
    });

    it('does not echo a refused password back', async () => {
      const password = 'tiny-pw';
      const response = await refusal({ ...validRegistration(), password }, RegisterDto);

      expect(JSON.stringify(response)).not.toContain(password);
    });
  });
});

describe('flattenValidationErrors', () => {
  const error = (fields: Partial<ValidationError>): ValidationError => Object.assign(new ValidationError(), { children: [] }, fields);

  it('joins nested property names into a path and keeps one message per field', () => {
    const errors = [
      error({
        property: 'pickupAddress',
        children: [error({ property: 'postcode', constraints: { matches: 'postcode must be a Belgian postcode' } })],
      }),
      error({
        property: 'availability',
        children: [error({ property: '0', children: [error({ property: 'to', constraints: { isAfter: 'to must be later than from' } })] })],
      }),
    ];

    expect(flattenValidationErrors(errors)).toEqual([
      'pickupAddress.postcode must be a Belgian postcode',
      'availability.0.to must be later than from',
    ]);
  });

  it('gives one message for a field that fails several rules', () => {
    const errors = [
      error({
        property: 'quantity',
        constraints: { max: 'quantity must not be greater than 1000', min: 'quantity must not be less than 1', isInt: 'quantity must be an integer number' },
      }),
    ];

    const messages = flattenValidationErrors(errors);

    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^quantity must /);
  });

  it('prefixes the path to a message that does not start with the property name', () => {
    const errors = [error({ property: 'pickupAddress', constraints: { nestedValidation: 'nested property must be an object' } })];

    expect(flattenValidationErrors(errors)).toEqual(['pickupAddress: nested property must be an object']);
  });

  it('does not mistake a property whose name is a prefix of another word', () => {
    const errors = [error({ property: 'to', constraints: { isAfter: 'total must be positive' } })];

    expect(flattenValidationErrors(errors, 'availability.0')).toEqual(['availability.0.to: total must be positive']);
  });

  it('reports an unknown property as one that should not exist', () => {
    const errors = [
      error({
        property: 'pickupAddress',
        children: [error({ property: 'lat', constraints: { whitelistValidation: 'property lat should not exist' } })],
      }),
    ];

    expect(flattenValidationErrors(errors)).toEqual(['pickupAddress.lat should not exist']);
  });

  it('returns nothing for no errors', () => {
    expect(flattenValidationErrors([])).toEqual([]);
  });
});
