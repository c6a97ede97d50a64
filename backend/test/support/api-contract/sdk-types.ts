// Le client généré par openapi-typescript à partir du document servi, confronté aux types de @opsflux/sdk :
// ce que le SDK promet de recevoir doit être garanti par le document (sinon le compilateur TypeScript le dit).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import openapiTS, { astToString } from 'openapi-typescript';
import ts from 'typescript';

const SDK = resolve(import.meta.dirname, '../../../../sdk/src/index.ts');

/**
 * Vérifications au niveau des types : `Receives<Api, Sdk>` exige qu'une réponse décrite par l'API soit lisible avec le
 * type du SDK. Une entité concrète du cœur (`currency`) représente les routes génériques d'enregistrements.
 */
const CHECKS = `
import type { components, paths } from './api.js';
import type { HistoryEntry, ListResponse, ModuleSummary, Problem, RecordData } from '@opsflux/sdk';

type Receives<Api extends Sdk, Sdk> = Api;
type Json<R> = R extends { content: { 'application/json': infer T } } ? T : never;
type Ok<Op, Status extends number> = Op extends { responses: Record<Status, infer R> } ? Json<R> : never;

export type Checks = [
  Receives<components['schemas']['Problem'], Problem>,
  Receives<Ok<paths['/api/v1/data/currency']['get'], 200>, ListResponse<RecordData>>,
  Receives<Ok<paths['/api/v1/data/currency/{id}']['get'], 200>, RecordData>,
  Receives<Ok<paths['/api/v1/data/currency']['post'], 201>, RecordData>,
  Receives<Ok<paths['/api/v1/data/currency/{id}']['patch'], 200>, RecordData>,
  Receives<Ok<paths['/api/v1/data/currency/{id}/restore']['post'], 200>, RecordData>,
  Receives<Ok<paths['/api/v1/data/currency/{id}/history']['get'], 200>, ListResponse<HistoryEntry>>,
  Receives<Ok<paths['/api/v1/modules']['get'], 200>, { data: ModuleSummary[] }>,
  Receives<Ok<paths['/api/v1/modules/{name}']['get'], 200>, ModuleSummary>,
  Receives<Ok<paths['/api/v1/modules/{name}/install']['post'], 200>, ModuleSummary>,
  Receives<Ok<paths['/api/v1/modules/{name}/activate']['post'], 200>, ModuleSummary>,
  Receives<Ok<paths['/api/v1/modules/{name}/deactivate']['post'], 200>, ModuleSummary>,
  Receives<Ok<paths['/api/v1/modules/{name}/uninstall']['post'], 200>, ModuleSummary>,
  paths['/api/v1/data/currency/{id}']['delete'],
];
`;

/** Génère le client du document et compile les vérifications ; renvoie les diagnostics du compilateur. */
export async function sdkTypeErrors(document: object): Promise<string[]> {
  const dir = await mkdtemp(join(tmpdir(), 'opsflux-api-types-'));
  try {
    await writeFile(join(dir, 'api.ts'), astToString(await openapiTS(document as never)));
    await writeFile(join(dir, 'checks.ts'), CHECKS);
    const program = ts.createProgram([join(dir, 'checks.ts')], {
      strict: true, noEmit: true, skipLibCheck: true, target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext, moduleResolution: ts.ModuleResolutionKind.NodeNext,
      allowImportingTsExtensions: true, paths: { '@opsflux/sdk': [SDK] }, baseUrl: dir,
    });
    return ts.getPreEmitDiagnostics(program)
      .filter((d) => d.file === undefined || d.file.fileName.startsWith(dir))
      .map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
