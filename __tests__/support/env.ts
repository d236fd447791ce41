/** The environment of a shell that never ran npm: no NODE_OPTIONS, no npm settings, no ECG_*. */
export function shellEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env.NODE_OPTIONS;
  for (const key of Object.keys(env)) if (key.toLowerCase().startsWith('npm_config_')) delete env[key];
  for (const key of Object.keys(env)) if (key.startsWith('ECG_')) delete env[key];
  return env;
}
