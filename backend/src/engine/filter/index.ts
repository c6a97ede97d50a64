export { compileFilter } from './compile.js';
export { FILTER_LIMITS, FilterError, type FilterContext, type ResolvedPath, type ScalarKind } from './types.js';
export { evaluateFilter } from './evaluate.js';
