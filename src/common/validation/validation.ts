import { BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';

/**
 * One message per bad field, named by its path (`pickupAddress.postcode`,
 * `availability.0.to`), so that a form can show each next to its input.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  const messages: string[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = Object.values(error.constraints ?? {});
    if (constraints.length > 0) {
      const first = constraints[0];
      messages.push(first.startsWith(`${error.property} `) ? `${path}${first.slice(error.property.length)}` : `${path}: ${first}`);
    }
    if (error.children?.length) messages.push(...flattenValidationErrors(error.children, path));
  }
  return messages;
}

export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    stopAtFirstError: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) =>
      new BadRequestException({ statusCode: 400, message: flattenValidationErrors(errors), error: 'Bad Request' }),
  });
}
