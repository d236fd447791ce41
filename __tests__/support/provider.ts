import { inject } from 'vitest';

/**
 * The provider mirror and the init cache the global setup resolved (src/tools/provider-mirror.ts):
 * TF_PROVIDER_MIRROR when set, else the one Terraform or a search of the machine finds. The run
 * stops in the global setup, saying what to do, when there is none.
 */
export function testProviderMirror(): string {
  return inject('providerMirror');
}

/** Where offline plans of the suite keep initialized working directories between runs. */
export function testInitCache(): string {
  return inject('initCache');
}
