// Masquage des données personnelles du journal des requêtes d'IA : e-mails, téléphones, IBAN, cartes (Luhn) ; les
// dates, montants et identifiants courts restent lisibles ; la structure JSON reste valide.
import { describe, expect, it } from 'vitest';
import { redactDeep, redactPersonalData } from '../../../src/ai/redact.js';

describe('personal data redaction', () => {
  it('masks e-mail addresses, phone numbers, IBANs and card numbers', () => {
    expect(redactPersonalData('Écrire à jean.dupont@example.com ou à ana+ops@société.fr')).toBe('Écrire à [email] ou à [email]');
    expect(redactPersonalData('Appeler le +33 6 12 34 56 78 ou le 04.72.10.20.30')).toBe('Appeler le [phone] ou le [phone]');
    expect(redactPersonalData('IBAN FR76 3000 6000 0112 3456 7890 189 merci')).toBe('IBAN [iban] merci');
    expect(redactPersonalData('Carte 4111 1111 1111 1111')).toBe('Carte [card]');
  });

  it('keeps dates, amounts, short numbers and invalid card numbers', () => {
    const text = 'Facture 2024-11-30 de 1 250,00 EUR, commande 4521, lot 1234 5678 9012 3456';
    expect(redactPersonalData('Facture 2024-11-30 de 1 250,00 EUR, commande 4521')).toBe('Facture 2024-11-30 de 1 250,00 EUR, commande 4521');
    // 16 chiffres qui ne passent pas le contrôle de Luhn : pas une carte (ni un téléphone : trop long)
    expect(redactPersonalData(text)).toContain('1234 5678 9012 3456');
  });

  it('masks every string of a JSON value and keeps its shape', () => {
    const masked = redactDeep({ messages: [{ role: 'user', content: 'mail: a.b@c.io' }], n: 3 });
    expect(masked).toEqual({ messages: [{ role: 'user', content: 'mail: [email]' }], n: 3 });
  });
});
