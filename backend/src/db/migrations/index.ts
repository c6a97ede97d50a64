import { coreSchema } from './001-core.js';
import { auditChain } from './002-audit-chain.js';
import { personalTokens } from './003-personal-tokens.js';
import { authTickets } from './004-auth-tickets.js';
import { samlReplay } from './005-saml-replay.js';
import { noTenantForeignKeys } from './006-no-tenant-foreign-keys.js';
import { leanJournalIndexes } from './007-lean-journal-indexes.js';
import { settings } from './008-settings.js';
import { modules } from './009-modules.js';
import { trees } from './010-trees.js';
import { sequenceCounters } from './011-sequence-counters.js';
import { taskRuns } from './012-task-runs.js';
import { fileBlobs } from './013-file-blobs.js';
import { imports } from './014-imports.js';
import { shortLinks } from './015-short-links.js';
import { errorLog } from './016-error-log.js';
import { jobs } from './017-jobs.js';
import { apiKeys } from './018-api-keys.js';
import { notifications } from './019-notifications.js';
import { emailQueue } from './020-email-queue.js';
import { webhooks } from './021-webhooks.js';
import { platformRole } from './022-platform-role.js';
import { identityLinks } from './023-identity-links.js';
import { auditGuard } from './024-audit-guard.js';
import { ai } from './025-ai.js';
import type { Migration } from './runner.js';

export const coreMigrations: Migration[] = [coreSchema, auditChain, personalTokens, authTickets, samlReplay, noTenantForeignKeys, leanJournalIndexes, settings, modules, trees, sequenceCounters, taskRuns, fileBlobs, imports, shortLinks, errorLog,
  jobs, apiKeys, notifications, emailQueue, webhooks, platformRole, identityLinks, auditGuard, ai];
