// Chaque texte d'une valeur JSON transformé (objets et tableaux parcourus, structure gardée) : gabarits des actions
// de règles, masquage des données personnelles du journal de l'IA.
export function mapStrings<T>(value: T, transform: (text: string) => string): T {
  if (typeof value === 'string') return transform(value) as T;
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, transform)) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, mapStrings(v, transform)])) as T;
  return value;
}
