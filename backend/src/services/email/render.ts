// Rendu des modèles de courriel : variables Mustache (sans logique ; échappées en HTML dans le corps, telles quelles
// dans l'objet et la partie texte), puis MJML → HTML, puis partie texte (écrite par l'auteur ou déduite du HTML).
// La validation à l'enregistrement refuse la syntaxe Mustache invalide, les variables non échappées, les partiels et
// le MJML invalide, avec un message par champ.
import type { FieldError } from '@opsflux/sdk';
import { convert } from 'html-to-text';
import mjml2html, { type MjmlError } from 'mjml';
import Mustache from 'mustache';
import { escapeHtml } from '../../text/html.js';

export interface TemplateSource {
  subject: string;
  /** MJML avec variables */
  body: string;
  /** partie texte avec variables ; absente : déduite du HTML */
  text?: string | null;
}

export interface RenderedEmail {
  subject: string;
  html: string;
  text: string;
}

// erreurs de gabarit renvoyées au plus : lisibilité de la réponse, pas une limite d'usage
const MAX_ERRORS = 20;
// longueur maximale d'une ligne d'en-tête (RFC 5322) : imposée par le format du courriel
const MAX_SUBJECT = 998;

// un rédacteur à lui, sans cache : les modèles des tenants ne s'accumulent pas en mémoire
const writer = new Mustache.Writer();
(writer as unknown as { templateCache?: unknown }).templateCache = undefined;
const asIs = (value: unknown) => String(value);
// & < > " ' seulement (texte et attributs entre guillemets) : les adresses des liens restent lisibles
const html = (value: unknown) => escapeHtml(String(value));

/** Variables réduites à des données JSON : aucune fonction (lambda Mustache) ni objet exotique n'entre dans le rendu. */
function view(variables: Record<string, unknown> | undefined): Record<string, unknown> {
  return variables ? (JSON.parse(JSON.stringify(variables)) as Record<string, unknown>) : {};
}

/** Objet d'un courriel : une ligne (pas d'injection d'en-tête), longueur bornée. */
export function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim().slice(0, MAX_SUBJECT);
}

/** HTML → texte brut lisible (liens suivis de leur adresse, images omises). */
export function htmlToText(html: string): string {
  return convert(html, { wordwrap: 100, selectors: [{ selector: 'img', format: 'skip' }] }).trim();
}

/** Objet, HTML et texte d'un modèle pour ces variables. */
export async function renderTemplate(source: TemplateSource, variables?: Record<string, unknown>): Promise<RenderedEmail> {
  const data = view(variables);
  const subject = oneLine(writer.render(source.subject, data, {}, { escape: asIs }));
  const page = await mjml2html(writer.render(source.body, data, {}, { escape: html }), { validationLevel: 'skip', ignoreIncludes: true, keepComments: false });
  const text = source.text?.trim() ? writer.render(source.text, data, {}, { escape: asIs }).trim() : htmlToText(page.html);
  return { subject, html: page.html, text };
}

type Token = [type: string, value: string, start: number, end: number, children?: Token[]];

/** Erreurs Mustache d'un champ ; `html` : variables non échappées refusées. Renvoie les jetons si la syntaxe est bonne. */
function mustacheProblems(field: string, template: string, html: boolean, errors: FieldError[]): Token[] | undefined {
  let tokens: Token[];
  try {
    tokens = writer.parse(template) as Token[];
  } catch (error) {
    errors.push({ field, code: 'invalid_template', message: (error as Error).message });
    return undefined;
  }
  const walk = (list: Token[]): void => {
    for (const [type, value, , , children] of list) {
      if (type === '>') errors.push({ field, code: 'invalid_template', message: `Partials ({{> ${value}}}) are not supported` });
      if (html && type === '&') errors.push({ field, code: 'unescaped_variable', message: `Variable "${value}" must be escaped: write {{${value}}}` });
      if (children) walk(children);
    }
  };
  walk(tokens);
  return tokens;
}

/** Source MJML sans Mustache : sections gardées une fois, variables remplacées par un mot, pour la valider. */
function flatten(tokens: Token[]): string {
  return tokens.map(([type, value, , , children]) => {
    if (type === 'text') return value;
    if (type === 'name' || type === '&') return 'value';
    if (type === '#' || type === '^') return flatten(children ?? []);
    return '';
  }).join('');
}

function mjmlMessage(error: MjmlError): string {
  // pas de formattedMessage : il contient un chemin du serveur
  return `Line ${error.line}${error.tagName ? ` (${error.tagName})` : ''}: ${error.message}`;
}

async function mjmlProblems(source: string): Promise<FieldError[]> {
  const issue = (message: string): FieldError => ({ field: 'body', code: 'invalid_mjml', message });
  if (!/^\s*<mjml[\s>]/.test(source) || !/<\/mjml>\s*$/.test(source)) return [issue('The body must be an MJML document: <mjml>…</mjml>')];
  try {
    const { errors } = await mjml2html(source, { validationLevel: 'strict', ignoreIncludes: true });
    return errors.map((e) => issue(mjmlMessage(e)));
  } catch (error) {
    const listed = (error as { errors?: MjmlError[] }).errors;
    return listed?.length ? listed.map((e) => issue(mjmlMessage(e))) : [issue((error as Error).message.split('\n')[0] || 'Invalid MJML')];
  }
}

/** Problèmes d'un modèle, par champ (vide : le modèle est valide). */
export async function templateProblems(source: TemplateSource): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  mustacheProblems('subject', source.subject, false, errors);
  if (source.text) mustacheProblems('text', source.text, false, errors);
  const body = mustacheProblems('body', source.body, true, errors);
  if (body) errors.push(...(await mjmlProblems(flatten(body))));
  return errors.slice(0, MAX_ERRORS);
}
