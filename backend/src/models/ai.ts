// Assistant d'IA : une conversation par fil, personnelle (son propriétaire seul la lit) ; ses messages sont gardés à
// part (table ai_message), hors de l'audit.
import { defineEntity } from '@opsflux/sdk';

export const aiConversationEntity = defineEntity({
  name: 'ai_conversation',
  module: 'core',
  label: { en: 'Assistant conversation', fr: 'Conversation avec l’assistant' },
  display: 'title',
  owner: { field: 'user' },
  fields: {
    user: { type: 'ref', options: { to: 'user' }, readOnly: true, label: { en: 'User', fr: 'Utilisateur' } },
    title: { type: 'string', required: true, search: true, maxLength: 200, label: { en: 'Title', fr: 'Titre' } },
    lastMessageAt: { type: 'datetime', readOnly: true, index: true, label: { en: 'Last message', fr: 'Dernier message' } },
  },
});
