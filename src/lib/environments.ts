/** The platform environments, one stack each; shared by config, stacks and the policy pack. */
export const ENVIRONMENT_NAMES = ['staging', 'production'] as const;
export type EnvironmentName = (typeof ENVIRONMENT_NAMES)[number];
