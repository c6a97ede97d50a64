// Routeur prêté aux interfaces des modules (carte d'import « react-router »).
export * from 'react-router';
