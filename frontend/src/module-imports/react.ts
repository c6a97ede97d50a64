// React prêté aux interfaces des modules (carte d'import « react ») : la même instance que l'application.
// React est publié en CommonJS : ses exports nommés sont recopiés un par un pour un module ES.
import * as React from 'react';

export default React;
export const {
  Children, Component, Fragment, Profiler, PureComponent, StrictMode, Suspense, cloneElement, createContext, createElement,
  createRef, forwardRef, isValidElement, lazy, memo, startTransition, use, useActionState, useCallback, useContext,
  useDebugValue, useDeferredValue, useEffect, useId, useImperativeHandle, useInsertionEffect, useLayoutEffect, useMemo,
  useOptimistic, useReducer, useRef, useState, useSyncExternalStore, useTransition, version,
} = React;
