import { describe, expect, it } from 'vitest';
import { hostRewrite } from '../../../src/http/app.js';

describe('host-based routing', () => {
  const rewrite = hostRewrite('example.com');

  it('maps api., app. and server. to their path prefix', () => {
    expect(rewrite('api.example.com', '/v1/data/user')).toBe('/api/v1/data/user');
    expect(rewrite('API.Example.com:443', '/health')).toBe('/api/health');
    expect(rewrite('app.example.com', '/orders')).toBe('/app/orders');
    expect(rewrite('server.example.com', '/')).toBe('/server/');
  });

  it('lets the application call the API on its own origin', () => {
    expect(rewrite('app.example.com', '/api/v1/auth/me')).toBe('/api/v1/auth/me');
    expect(rewrite('server.example.com', '/api/v1/modules')).toBe('/api/v1/modules');
    expect(rewrite('app.example.com', '/s/abc1234')).toBe('/s/abc1234');
  });

  it('leaves already-prefixed paths, www, other hosts and no domain alone', () => {
    expect(rewrite('api.example.com', '/api/health')).toBe('/api/health');
    expect(rewrite('www.example.com', '/pricing')).toBe('/pricing');
    expect(rewrite('api.evil.com', '/health')).toBe('/health');
    expect(rewrite('example.com', '/health')).toBe('/health');
    expect(hostRewrite(undefined)('api.example.com', '/health')).toBe('/health');
  });
});
