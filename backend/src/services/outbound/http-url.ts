// Adresse sortante donnée par un utilisateur (lien court, webhook) : absolue, http ou https, sans identifiants.
export function parseHttpUrl(target: string, credentialsProblem = 'Addresses with credentials are not allowed'): URL | string {
  let url: URL;
  try {
    url = new URL(target);
  } catch {
    return 'Not an absolute address';
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return 'Only http and https addresses are allowed';
  if (url.username || url.password) return credentialsProblem;
  return url;
}
