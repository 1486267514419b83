import { ArgumentMetadata, BadRequestException, ValidationError, ValidationPipe } from '@nestjs/common';
import { getMetadataStorage } from 'class-validator';

/**
 * One bad field, as the translations need it: its path, the key of the rule it broke
 * (src/i18n/<language>/validation.json) and that rule's arguments; `message` is the English text.
 */
export interface ValidationIssue {
  path: string;
  key: string;
  args: Record<string, string>;
  message: string;
}

/** A refused body; its answer is written in the caller's language by the exception filter. */
export class ValidationFailedException extends BadRequestException {
  constructor(readonly issues: ValidationIssue[]) {
    super({ statusCode: 400, message: issues.map((issue) => issue.message), error: 'Bad Request' });
  }
}

/** The arguments of a rule (`MinLength(10)` → 10), read from class-validator's metadata of the DTO. */
function ruleArguments(target: object | undefined, property: string, rule: string): unknown[] {
  if (!target) return [];
  const metadata = getMetadataStorage()
    .getTargetValidationMetadatas(target.constructor, '', true, false)
    .find((m) => m.propertyName === property && (m.name === rule || m.type === rule));
  return metadata?.constraints ?? [];
}

export function validationIssues(errors: ValidationError[], parent = ''): ValidationIssue[] {
  const issues: ValidationIssue[] = [];
  for (const error of errors) {
    const path = parent ? `${parent}.${error.property}` : error.property;
    const constraints = error.constraints ?? {};
    const rule = constraints.whitelistValidation !== undefined ? 'whitelistValidation' : mainRule(constraints);
    if (rule !== undefined) {
      const message = rule === 'whitelistValidation' ? `${path} should not exist` : located(path, error.property, constraints[rule]);
      const key = (error.contexts?.[rule] as { i18n?: string } | undefined)?.i18n ?? rule;
      const args: Record<string, string> = { property: path };
      ruleArguments(error.target, error.property, rule).forEach((value, index) => {
        args[String(index)] = Array.isArray(value) ? value.join(', ') : String(value);
      });
      issues.push({ path, key, args, message });
      if (rule === 'whitelistValidation') continue;
    }
    if (error.children?.length) issues.push(...validationIssues(error.children, path));
  }
  return issues;
}

function located(path: string, property: string, message: string): string {
  return message.startsWith(`${property} `) ? `${path}${message.slice(property.length)}` : `${path}: ${message}`;
}

/**
 * One message per bad field, named by its path (`pickupAddress.postcode`,
 * `availability.0.to`), so that a form can show each next to its input.
 */
export function flattenValidationErrors(errors: ValidationError[], parent = ''): string[] {
  return validationIssues(errors, parent).map((issue) => issue.message);
}

// When a value fails several rules, the one about its type explains it best.
const TYPE_RULES = ['isDefined', 'isString', 'isInt', 'isNumber', 'isBoolean', 'isArray', 'isObject', 'isIn', 'isEmail'];

function mainRule(constraints: Record<string, string>): string | undefined {
  return TYPE_RULES.find((name) => constraints[name] !== undefined) ?? Object.keys(constraints)[0];
}

export function mainMessage(constraints: Record<string, string>): string | undefined {
  const rule = mainRule(constraints);
  return rule === undefined ? undefined : constraints[rule];
}

const NOT_AN_OBJECT: ValidationIssue = { path: '', key: 'unknownValue', args: { property: '' }, message: 'the request body must be a JSON object' };

/** Nest's ValidationPipe, but a body that is not a JSON object (an array, a string, null) is refused as such, once. */
class BodyValidationPipe extends ValidationPipe {
  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    const isDto = typeof metadata.metatype === 'function' && ![String, Number, Boolean, Array, Object].includes(metadata.metatype as never);
    // No body at all is for the DTO to judge (a POST whose fields are all optional).
    if (metadata.type === 'body' && isDto && value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new ValidationFailedException([NOT_AN_OBJECT]);
    }
    return super.transform(value, metadata);
  }
}

export function createValidationPipe(): ValidationPipe {
  return new BodyValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    // The target lets the rule's arguments be found for the translations; neither it nor the value reaches the answer.
    validationError: { target: true, value: false },
    exceptionFactory: (errors) => new ValidationFailedException(validationIssues(errors)),
  });
}
