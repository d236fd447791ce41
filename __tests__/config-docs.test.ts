import { readFileSync } from 'node:fs';
import { CONFIG_DOC, formattedConfigurationDoc } from '../scripts/config-docs';

describe('docs/configuration.md is generated from the schema', () => {
  it('matches `npm run config-docs -- --write`', async () => {
    expect(readFileSync(CONFIG_DOC, 'utf8')).toBe(await formattedConfigurationDoc());
  });

  it('names a field, its type, its rule and both presets', () => {
    const text = readFileSync(CONFIG_DOC, 'utf8');
    expect(text).toMatch(/\| storage\.transferAcceleration +\| boolean +\| +\| `false` +\| `true` +\|/);
    expect(text).toMatch(
      /\| api\.cpuTargetPercent +\| number +\| integer from 1 to 100 +\| `70` +\| `70` +\|/,
    );
    expect(text).toContain('security.sshAllowedCidrs');
  });
});
