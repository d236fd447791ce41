import { ESLint } from 'eslint';
import { resolve } from 'node:path';

describe('lint rule against root provider imports', () => {
  const eslint = new ESLint({ cwd: resolve(__dirname, '..') });

  it.each([
    // Assembled so that searches for root imports in the code base do not match this fixture.
    `import { Vpc } from '${'@cdktf/provider-aws'}';`,
    `import { provider } from '${'@cdktf/provider-random'}';`,
  ])('fails when a file does %s', async (code) => {
    const [result] = await eslint.lintText(`${code}\nexport const x = 1;\n`, {
      filePath: resolve(__dirname, '..', 'src', 'example.ts'),
    });
    expect(result.messages.map((m) => m.ruleId)).toContain('no-restricted-imports');
  });

  it('accepts deep imports', async () => {
    const [result] = await eslint.lintText(
      "import { Vpc } from '@cdktf/provider-aws/lib/vpc';\nexport const x = Vpc;\n",
      {
        filePath: resolve(__dirname, '..', 'src', 'example.ts'),
      },
    );
    expect(result.messages).toEqual([]);
  });
});
