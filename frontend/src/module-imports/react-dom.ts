// React DOM prêté aux interfaces des modules (carte d'import « react-dom »).
import * as ReactDOM from 'react-dom';

export default ReactDOM;
export const { createPortal, flushSync } = ReactDOM;
