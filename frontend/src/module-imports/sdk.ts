// SDK prêté aux interfaces des modules (carte d'import « @opsflux/sdk »).
export * from '@opsflux/sdk';
