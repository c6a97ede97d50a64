// Transformation JSX automatique des interfaces de modules (carte d'import « react/jsx-runtime »).
import * as runtime from 'react/jsx-runtime';

export const { Fragment, jsx, jsxs } = runtime;
