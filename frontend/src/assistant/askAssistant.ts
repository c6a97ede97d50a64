// Une page demande quelque chose à l'assistant (« expliquer cet enregistrement ») : le cadre ouvre le panneau et
// pose la question. Un événement du navigateur évite de faire passer l'état du panneau par toutes les pages.
export const ASK_ASSISTANT_EVENT = 'opsflux:ask-assistant';

export function askAssistant(question: string): void {
  window.dispatchEvent(new CustomEvent<string>(ASK_ASSISTANT_EVENT, { detail: question }));
}
