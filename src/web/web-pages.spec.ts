import helmet from 'helmet';
import { IncomingMessage, ServerResponse } from 'node:http';
import { Socket } from 'node:net';
import { helmetHeaders, STRICT_CSP } from './web-pages';

describe('helmetHeaders', () => {
  it('holds exactly the headers helmet sets on a real response', () => {
    const options = { contentSecurityPolicy: { directives: STRICT_CSP } };
    const request = new IncomingMessage(new Socket());
    const response = new ServerResponse(request);
    response.setHeader('X-Powered-By', 'something');
    let called = false;
    helmet(options)(request, response, () => (called = true));

    expect(called).toBe(true);
    expect(helmetHeaders(options)).toEqual(response.getHeaders());
    expect(helmetHeaders(options)).toMatchObject({ 'x-content-type-options': 'nosniff', 'content-security-policy': expect.stringContaining("frame-ancestors 'none'") });
  });

  it('fails at start when a policy is invalid, not on a request', () => {
    expect(() => helmetHeaders({ contentSecurityPolicy: { directives: { defaultSrc: ['self'] } } })).toThrow();
  });
});
