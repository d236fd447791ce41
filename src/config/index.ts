export * from './types';
export * from './environments';
export * from './settings';
export * from './validate';
export { ConfigError, IssueCollector, formatIssue, throwIfIssues, type ConfigIssue } from '../lib/validation';
