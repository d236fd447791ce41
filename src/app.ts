import type { App } from 'cdktf';
import {
  ENVIRONMENT_NAMES,
  configurationIssues,
  environmentConfig,
  resolveSettings,
  settingInputIssues,
  settingPaths,
  throwIfIssues,
  type ConfigIssue,
  type EnvironmentConfig,
  type ProjectSettings,
  type SettingInputs,
} from './config';
import { PlatformStack } from './stacks/platform-stack';
import { StateBackendStack } from './stacks/state-backend-stack';

export interface Configuration {
  readonly settings: ProjectSettings;
  readonly environments: readonly EnvironmentConfig[];
}

export interface ConfigurationOptions {
  /** Replace the environment presets (tests use this to inject bad configuration). */
  readonly environments?: (settings: ProjectSettings) => readonly EnvironmentConfig[];
}

/**
 * Settings and environments with every problem of either: the inputs themselves (types, unknown
 * keys and variables), each setting, each environment, and the rules between environments.
 */
export function readConfiguration(
  inputs: SettingInputs,
  options: ConfigurationOptions = {},
): { configuration: Configuration; issues: ConfigIssue[] } {
  const settings = resolveSettings(inputs);
  const environments =
    options.environments?.(settings) ?? ENVIRONMENT_NAMES.map((name) => environmentConfig(name, settings));
  const issues = [
    ...settingInputIssues(inputs),
    ...configurationIssues(settings, environments, settingPaths(inputs)),
  ];
  return { configuration: { settings, environments }, issues };
}

/**
 * Settings and environments, validated together: throws a ConfigError naming every problem.
 * Call it before creating the App, which already writes its output folder.
 */
export function loadConfiguration(inputs: SettingInputs, options: ConfigurationOptions = {}): Configuration {
  const { configuration, issues } = readConfiguration(inputs, options);
  throwIfIssues(issues);
  return configuration;
}

export interface BuiltApp {
  readonly settings: ProjectSettings;
  readonly stateBackend: StateBackendStack;
  readonly platforms: Readonly<Record<string, PlatformStack>>;
}

/** Adds the three stacks to `app` from a validated configuration. */
export function buildApp(app: App, configuration: Configuration): BuiltApp {
  const { settings, environments } = configuration;
  const stateBackend = new StateBackendStack(app, 'state-backend', { settings });
  const platforms: Record<string, PlatformStack> = {};
  for (const config of environments) {
    platforms[config.name] = new PlatformStack(app, config.name, { settings, config });
  }
  return { settings, stateBackend, platforms };
}
