// Reads an OpenAPI 3.1 document into the fields a client can put a string in, so a test over them
// covers a route as soon as the document has it.

type JsonSchema = { $ref?: string; type?: string | string[]; properties?: Record<string, JsonSchema>; items?: JsonSchema };
type Parameter = { name: string; in: 'path' | 'query' | 'header' | 'cookie' };
type Operation = { parameters?: Parameter[]; requestBody?: { content?: Record<string, { schema: JsonSchema }> } };
export type OpenApiDocument = { paths: Record<string, Record<string, Operation>>; components?: { schemas?: Record<string, JsonSchema> } };

/** One place in a request that carries a string: a path, query or header parameter, or a body property at `at`. */
export interface StringField {
  /** `METHOD /path/{param}`, as the document names the route. */
  route: string;
  in: 'path' | 'query' | 'header' | 'body';
  name: string;
  /** For a body field: its property path, array items as index 0. */
  at: (string | number)[];
}

export interface DocumentedRoute {
  route: string;
  method: string;
  path: string;
  fields: StringField[];
  /** Where the JSON body has an object, for keys such as `__proto__`; empty without a body. */
  bodyObjects: (string | number)[][];
}

const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

function resolve(doc: OpenApiDocument, schema: JsonSchema): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components?.schemas?.[name];
  if (!target) throw new Error(`unresolvable ${schema.$ref}`);
  return resolve(doc, target);
}

const isType = (schema: JsonSchema, type: string) => schema.type === type || (Array.isArray(schema.type) && schema.type.includes(type));

function walkBody(
  doc: OpenApiDocument,
  raw: JsonSchema,
  at: (string | number)[],
  visit: { string(at: (string | number)[]): void; object(at: (string | number)[]): void },
): void {
  const schema = resolve(doc, raw);
  if (isType(schema, 'string')) visit.string(at);
  if (isType(schema, 'object') || schema.properties) {
    visit.object(at);
    for (const [name, property] of Object.entries(schema.properties ?? {})) walkBody(doc, property, [...at, name], visit);
  }
  if (isType(schema, 'array') && schema.items) walkBody(doc, schema.items, [...at, 0], visit);
}

/** Every documented route with its string fields: all its parameters (a parameter is a string on the wire) and its body's string properties. */
export function documentedRoutes(doc: OpenApiDocument): DocumentedRoute[] {
  return Object.entries(doc.paths).flatMap(([path, operations]) =>
    Object.entries(operations)
      .filter(([method]) => METHODS.has(method))
      .map(([method, operation]) => {
        const route = `${method.toUpperCase()} ${path}`;
        const fields: StringField[] = (operation.parameters ?? [])
          .filter((p): p is Parameter & { in: 'path' | 'query' | 'header' } => p.in !== 'cookie')
          .map((p) => ({ route, in: p.in, name: p.name, at: [] }));
        const bodyObjects: (string | number)[][] = [];
        const body = operation.requestBody?.content?.['application/json']?.schema;
        if (body) {
          walkBody(doc, body, [], {
            string: (at) => fields.push({ route, in: 'body', name: at.join('.'), at }),
            object: (at) => bodyObjects.push(at),
          });
        }
        return { route, method: method.toUpperCase(), path, fields, bodyObjects };
      }),
  );
}
