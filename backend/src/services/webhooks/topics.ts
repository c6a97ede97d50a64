// Sujets des abonnements : sujet exact (`customer.created`), préfixe (`customer.*`, `crm.lead.*`) ou tout (`*`).

const PATTERN = /^(\*|[a-z0-9_]+(\.[a-z0-9_]+)*(\.\*)?)$/;

export function validPattern(pattern: string): boolean {
  return pattern.length <= 100 && PATTERN.test(pattern);
}

export function topicMatches(pattern: string, topic: string): boolean {
  if (pattern === '*' || pattern === topic) return true;
  return pattern.endsWith('.*') && topic.startsWith(pattern.slice(0, -1));
}
