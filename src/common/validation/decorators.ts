import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import {
  ValidateIf,
  IsISO8601,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  registerDecorator,
  ValidationArguments,
} from 'class-validator';

/** Trims surrounding white space from a string input (other types pass through to be rejected). */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/** A Belgian postcode: four digits, 1000 to 9999. */
export const IsBelgianPostcode = () =>
  applyDecorators(
    Trim(),
    IsString(),
    Matches(/^[1-9][0-9]{3}$/, { message: '$property must be a Belgian postcode: 4 digits from 1000 to 9999', context: { i18n: 'postcode' } }),
  );

/** A required line of text with its bounds, trimmed; control characters are refused. */
export const IsText = (min: number, max: number) =>
  applyDecorators(
    Trim(),
    IsString(),
    MinLength(min),
    MaxLength(max),
    // eslint-disable-next-line no-control-regex
    Matches(/^[^\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]*$/u, { message: '$property must not contain control characters', context: { i18n: 'controlCharacters' } }),
  );

const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant in ISO 8601 with its offset (`2026-12-01T14:00:00+01:00`); a time without offset is ambiguous. */
export const IsInstant = () =>
  applyDecorators(
    IsString(),
    Matches(INSTANT, { message: '$property must be an ISO 8601 date-time with an offset, such as 2026-12-01T14:00:00+01:00', context: { i18n: 'instant' } }),
    IsISO8601({ strict: true }, { message: '$property must be a real date and time', context: { i18n: 'realInstant' } }),
  );

/** The instant in this property is later than the one in `property`. */
export function IsAfter(property: string) {
  return (object: object, propertyName: string) =>
    registerDecorator({
      name: 'isAfter',
      target: object.constructor,
      propertyName,
      constraints: [property],
      options: { message: `$property must be later than ${property}` },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[property];
          const [to, from] = [typeof value === 'string' ? Date.parse(value) : NaN, typeof other === 'string' ? Date.parse(other) : NaN];
          if (Number.isNaN(to) || Number.isNaN(from)) return true; // reported by the format checks
          return to > from;
        },
      },
    });
}

/**
 * May be left out, but not sent as null: for fields a PATCH may change and the database needs.
 * (class-validator's IsOptional lets null through as well.)
 */
export const IsOptionalNotNull = () => ValidateIf((_, value) => value !== undefined);
