// Composants UI5 prêtés aux interfaces des modules (carte d'import « @ui5/webcomponents-react »).
export * from '@ui5/webcomponents-react';
