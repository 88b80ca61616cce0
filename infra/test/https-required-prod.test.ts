import { expect, it } from 'vitest';
import { runStack } from './mocks';

it('production refuses allowInsecureHttp even with nothing else set', async () => {
  await expect(runStack('prod', { 'opsroom:allowInsecureHttp': 'true' })).rejects.toThrow(
    'opsroom:allowInsecureHttp is for throwaway dev stacks; a production stack serves HTTPS',
  );
});
