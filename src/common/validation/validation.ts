import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * One message per bad field, named by its path (`pickupAddress.postcode`,
 * `availability.0.to`), so that a form can show each next to its input.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    if (error.constraints?.whitelistValidation) {
      messages.push(`${path} should not exist`);
      continue;
    }
    const first = mainMessage(error.constraints ?? {});
    if (first !== undefined) {
      messages.push(first.startsWith(`${error.property} `) ? `${path}${first.slice(error.property.length)}` : `${path}: ${first}`);
    }
    if (error.children?.length) messages.push(...flattenValidationErrors(error.children, path));
  }
  return messages;
}

// When a value fails several rules, the one about its type explains it best.
const TYPE_RULES = ['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isEmail'];

export function mainMessage(constraints: Record<string, string>): string | undefined {
  const rule = TYPE_RULES.find((name) => constraints[name] !== undefined) ?? Object.keys(constraints)[0];
  return rule === undefined ? undefined : constraints[rule];
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ statusCode: 400, message: flattenValidationErrors(errors), error: 'Bad Request' }),
  });
}
