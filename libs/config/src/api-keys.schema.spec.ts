import { apiKeyList } from './api-keys.schema';

describe('API_KEYS', () => {
  it('gives a bare key every role, and a key with roles just those', () => {
    expect(apiKeyList.parse('reader-key-1:read, submitter-1:submit+read,all-roles-1')).toEqual([
      { key: 'reader-key-1', roles: ['read'] },
      { key: 'submitter-1', roles: ['submit', 'read'] },
      { key: 'all-roles-1', roles: ['read', 'submit', 'operate'] },
    ]);
  });

  it('names a bad entry by its position, never its key', () => {
    const secret = 'super-secret-key-123';
    const result = apiKeyList.safeParse(`good-key-1,${secret}:admin,short`);
    expect(result.success).toBe(false);
    const messages = result.error?.issues.map((issue) => issue.message) ?? [];
    expect(messages).toEqual([expect.stringMatching(/^entry 2: roles must be/), expect.stringMatching(/^entry 3 is not/)]);
    expect(messages.join(' ')).not.toContain(secret);
  });
});
