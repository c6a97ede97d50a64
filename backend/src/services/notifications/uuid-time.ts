// Borne basse des UUIDv7 d'un instant : les identifiants sont chronologiques, une comparaison d'id remplace une
// colonne de date indexée (plafond par minute, expiration).
export function uuidAt(ms: number): string {
  const hex = Math.max(0, Math.floor(ms)).toString(16).padStart(12, '0').slice(-12);
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-7000-8000-000000000000`;
}
