import { conflict } from '../../common/errors/domain-error';

export const matchNotProposed = (status: string) =>
  conflict('MATCH_NOT_PROPOSED', `The match is ${status}; only a proposed match can be accepted or declined`, { status });
