import openapiTS, { astToString, COMMENT_HEADER, type OpenAPI3 } from 'openapi-typescript';

/** The TypeScript types of an OpenAPI document (`paths`, `components`, `operations`), as openapi-typescript's CLI writes them. */
export async function typescriptTypes(document: unknown): Promise<string> {
  // A structured clone: openapi-typescript annotates the object it is given while it resolves $refs.
  const ast = await openapiTS(structuredClone(document) as OpenAPI3, { silent: true });
  return COMMENT_HEADER + astToString(ast);
}
