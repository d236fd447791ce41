import { format, resolveConfig } from 'prettier';

/**
 * Formats generated text (docs, READMEs, reports) exactly as `npm run lint` expects, with the
 * project's Prettier configuration, so regenerating a committed file never fails the check.
 */
export async function formatLikeRepo(text: string, filePath: string): Promise<string> {
  const options = (await resolveConfig(filePath)) ?? {};
  return format(text, { ...options, filepath: filePath });
}
