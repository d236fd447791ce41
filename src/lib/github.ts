/**
 * GitHub names as the Actions OIDC token carries them: the trust policy compares the token's `sub`
 * claim, `repo:<owner>/<repo>:ref:refs/heads/<branch>` or `...:environment:<name>`, as a string, so
 * a repository written as a URL or with `.git`, or a branch written as a full ref, never matches
 * and every deploy is refused with "Not authorized to perform sts:AssumeRoleWithWebIdentity".
 */

/** An account (user or organization) name: 1-39 letters, digits or single hyphens, no hyphen at either end. */
const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/;
/** A repository name: 1-100 of letters, digits, `.`, `_` and `-`; never `.` or `..`. */
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/;

/** What is wrong with `owner/repo`, one sentence each; empty when nothing is. */
export function githubRepositoryProblems(value: string): string[] {
  if (/^(https?:\/\/|git@|ssh:\/\/|(www\.)?github\.com[/:])/i.test(value)) {
    const bare = value
      .replace(/^(https?:\/\/|ssh:\/\/)?(git@)?(www\.)?github\.com[/:]/i, '')
      .replace(/\.git$/, '')
      .replace(/\/+$/, '');
    return [`must be owner/repo, not a URL: write ${bare} (the OIDC trust compares repo:owner/repo)`];
  }
  if (/[*?]/.test(value)) return ['must be a GitHub owner/repo (no wildcards)'];
  const parts = value.split('/');
  if (parts.length !== 2) return ['must be a GitHub owner/repo: one owner, one slash, one repository'];
  const [owner, repo] = parts;
  const problems: string[] = [];
  if (repo.toLowerCase().endsWith('.git')) {
    problems.push(
      `must not end in .git: write ${owner}/${repo.slice(0, -4)} (the token names repo:owner/repo without it)`,
    );
  } else if (!REPOSITORY.test(repo) || repo === '.' || repo === '..') {
    problems.push('has a repository name GitHub does not allow: 1-100 of letters, digits, . _ -');
  }
  if (!OWNER.test(owner)) {
    problems.push(
      'has an owner GitHub does not allow: 1-39 letters, digits or single hyphens, not starting or ending with a hyphen',
    );
  }
  return problems;
}

/**
 * What is wrong with a branch name, after git's ref-name rules (git check-ref-format): no
 * `refs/heads/` prefix (the trust adds it), no space, `~ ^ : ? * [ \`, `..`, `@{`, no part that starts
 * with `.` or ends with `.lock`, no empty part, no `.` at the end.
 */
export function gitBranchProblems(value: string): string[] {
  if (value.startsWith('refs/')) {
    return [
      `must be a branch name, not a ref: write ${value.replace(/^refs\/(heads\/)?/, '')} (the trust builds ref:refs/heads/<branch> itself)`,
    ];
  }
  const parts = value.split('/');
  const bad =
    value === '' ||
    value === '@' ||
    [...value].some((c) => c.charCodeAt(0) <= 0x20 || c.charCodeAt(0) === 0x7f || '~^:?*[\\'.includes(c)) ||
    value.includes('..') ||
    value.includes('@{') ||
    value.endsWith('.') ||
    parts.some((p) => p === '' || p.startsWith('.') || p.endsWith('.lock'));
  return bad
    ? [
        'must be a git branch name (git check-ref-format): no spaces, ~ ^ : ? * [ \\, "..", "@{", no empty part, no part starting with . or ending in .lock',
      ]
    : [];
}
