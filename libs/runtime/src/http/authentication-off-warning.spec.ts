import { loadConfig } from '@workpipe/config';
import { authenticationOffWarning } from './authentication-off-warning';

describe('authenticationOffWarning', () => {
  it('says nothing when keys are configured', () => {
    expect(authenticationOffWarning(loadConfig('stats', { API_KEYS: 'reader-key-1:read' }))).toBeUndefined();
  });

  it('says authentication is off, and where the service listens', () => {
    expect(authenticationOffWarning(loadConfig('stats', {}))).toBe(
      'authentication is OFF: API_KEYS is empty, so every endpoint answers without a key; listening on 127.0.0.1 only; set API_KEYS before pointing HTTP_HOST elsewhere',
    );
    expect(authenticationOffWarning(loadConfig('stats', { HTTP_HOST: '0.0.0.0' }))).toMatch(/HTTP_HOST=0\.0\.0\.0 makes it reachable from other machines: set API_KEYS$/);
  });
});
