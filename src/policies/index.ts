export * from './types';
export { RULES } from './rules';
export { SUPPRESSIONS } from './suppressions';
export { NOT_APPLICABLE } from './not-applicable';
export {
  appliesTo,
  evaluateStack,
  findSuppression,
  formatFinding,
  unsuppressedFindings,
  type EvaluateOptions,
} from './evaluate';
export { PolicyPack, applyPolicyPack, type PolicyPackOptions } from './pack';
export {
  buildPolicyReport,
  formatPolicyReport,
  formatStackReport,
  type PolicyReport,
  type StackInput,
  type StackPolicyReport,
} from './report';
