// Version de la plateforme (document OpenAPI, santé, compatibilité des modules).
export const VERSION = '0.1.0';
