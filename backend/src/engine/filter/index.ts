export { compileFilter } from './compile.js';
export { evaluateFilter } from './evaluate.js';
export {
  FILTER_LIMITS, FILTER_OPERATORS, FilterError,
  type FilterContext, type FilterErrorCode, type FilterOperator, type ResolvedPath, type ScalarKind,
} from './types.js';
