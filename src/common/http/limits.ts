/** The largest request body the API reads; Fastify answers 413 to a larger one. */
export const BODY_LIMIT_BYTES = 100 * 1024;
