// Bibliothèques lourdes de l'intelligence locale (OCR, PDF, dates, lexiques, solveur, graphes) chargées à la première
// utilisation : le démarrage d'un nœud (et de chaque fichier de test) ne paie que ce qu'il sert.

/** Charge une fois (un échec n'est pas retenu : la prochaine utilisation réessaie). */
export function lazyLoad<T>(load: () => Promise<T>): () => Promise<T> {
  let loading: Promise<T> | undefined;
  return () => {
    loading ??= load().catch((error: unknown) => {
      loading = undefined;
      throw error;
    });
    return loading;
  };
}
