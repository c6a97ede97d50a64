// Texte inséré dans une page HTML servie par l'API (contenu ou valeur d'attribut entre guillemets).
const ESCAPES: Record<string, string> = { '&': '&amp;', '"': '&quot;', '<': '&lt;', '>': '&gt;', "'": '&#39;' };

export const escapeHtml = (text: string): string => text.replace(/[&"<>']/g, (c) => ESCAPES[c]!);
