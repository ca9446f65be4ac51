/**
 * Renders the API document (openapi.ts) as docs/api.md: a page a person reads, with every route's
 * auth, parameters, body, answers and error codes, then every named schema as a field table. Pure:
 * the same document gives the same text, which is what lets a test catch a stale docs/api.md.
 */
import {
  apiErrorCodes,
  authErrors,
  bodyErrors,
  databaseErrors,
  everyRouteErrors,
  requestErrors,
} from './openapi-errors.ts';
import type { OpenApiDocument } from './openapi.ts';

type Schema = Record<string, unknown>;
type Operation = Record<string, unknown>;

const METHODS = ['get', 'post', 'put', 'patch', 'delete'] as const;

const isObject = (value: unknown): value is Schema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const refName = (schema: Schema): string | undefined =>
  typeof schema.$ref === 'string' ? schema.$ref.split('/').pop() : undefined;

/** GitHub's heading anchors: lower case, spaces to dashes, most punctuation dropped. */
const anchor = (heading: string) =>
  heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, '')
    .replace(/ /g, '-');

const schemaLink = (name: string) => `[${name}](#${anchor(name)})`;

/** A table cell: pipes would end the cell, newlines the row. */
const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\n+/g, ' ');

const code = (text: string) => `\`${text}\``;

function variantsOf(schema: Schema): Schema[] | undefined {
  const variants = schema.oneOf ?? schema.anyOf;
  return Array.isArray(variants) ? variants.filter(isObject) : undefined;
}

const hasFields = (schema: Schema) => isObject(schema.properties);

function typeOf(schema: Schema): string {
  const name = refName(schema);
  if (name !== undefined) return schemaLink(name);
  if (Array.isArray(schema.enum)) return schema.enum.map((value) => code(JSON.stringify(value))).join(' or ');
  if ('const' in schema) return code(JSON.stringify(schema.const));
  const variants = variantsOf(schema);
  if (variants !== undefined) return variants.map(typeOf).join(' or ');
  const type = schema.type;
  if (Array.isArray(type)) return type.join(' or ');
  if (type === 'array') return `array of ${isObject(schema.items) ? typeOf(schema.items) : 'any'}`;
  if (type === 'object' && !hasFields(schema) && isObject(schema.additionalProperties)) {
    return `object of ${typeOf(schema.additionalProperties)}`;
  }
  if (
    typeof type === 'string' &&
    ['integer', 'number', 'string', 'boolean', 'object', 'null'].includes(type)
  ) {
    return type;
  }
  return 'any';
}

function constraintsOf(schema: Schema): string[] {
  const notes: string[] = [];
  if (typeof schema.description === 'string') notes.push(schema.description);
  if (typeof schema.format === 'string') notes.push(`format ${schema.format}`);
  if (typeof schema.pattern === 'string') notes.push(`pattern ${code(schema.pattern)}`);
  const range = (min: unknown, max: unknown, unit: string) => {
    if (min !== undefined && max !== undefined) notes.push(`${min} to ${max}${unit}`);
    else if (min !== undefined) notes.push(`at least ${min}${unit}`);
    else if (max !== undefined) notes.push(`at most ${max}${unit}`);
  };
  range(schema.minLength, schema.maxLength, ' characters');
  range(schema.minItems, schema.maxItems, ' items');
  if (schema.exclusiveMinimum !== undefined) notes.push(`more than ${schema.exclusiveMinimum}`);
  range(schema.minimum, schema.maximum, '');
  if ('default' in schema) notes.push(`default ${code(JSON.stringify(schema.default))}`);
  if (isObject(schema.items)) notes.push(...constraintsOf(schema.items).map((note) => `each: ${note}`));
  return notes;
}

/** The object nested in a field, if any: itself, its array items, or the non-null side of a union. */
function nestedObject(schema: Schema): Schema | undefined {
  if (hasFields(schema)) return schema;
  if (isObject(schema.items)) return nestedObject(schema.items);
  const variants = variantsOf(schema);
  const objects = variants?.filter(hasFields) ?? [];
  return objects.length === 1 ? objects[0] : undefined;
}

function fieldRows(schema: Schema, prefix: string): string[] {
  const properties = isObject(schema.properties) ? schema.properties : {};
  const required = new Set(Array.isArray(schema.required) ? schema.required : []);
  return Object.entries(properties).flatMap(([name, value]) => {
    if (!isObject(value)) return [];
    const path = `${prefix}${name}`;
    const row = `| ${code(path)} | ${cell(typeOf(value))} | ${required.has(name) ? 'yes' : 'no'} | ${cell(constraintsOf(value).join('; '))} |`;
    const nested = nestedObject(value);
    const suffix = isObject(value.items) ? '[].' : '.';
    return nested === undefined ? [row] : [row, ...fieldRows(nested, `${path}${suffix}`)];
  });
}

const FIELD_HEADER = ['| field | type | required | notes |', '| --- | --- | --- | --- |'];

/** A schema as prose and tables: a field table, one table per variant, or a type. */
function describeSchema(schema: Schema): string[] {
  const variants = variantsOf(schema);
  if (variants !== undefined && variants.some(hasFields)) {
    return [
      'One of:',
      ...variants.flatMap((variant, index) => [
        '',
        `${index + 1}. ${hasFields(variant) ? variantLabel(variant) : typeOf(variant)}`,
        ...(hasFields(variant) ? ['', ...FIELD_HEADER, ...fieldRows(variant, '')] : []),
      ]),
    ];
  }
  if (hasFields(schema)) {
    const strict = schema.additionalProperties === false ? ['', 'Other fields are refused.'] : [];
    return [...FIELD_HEADER, ...fieldRows(schema, ''), ...strict];
  }
  const notes = constraintsOf(schema);
  return [`${typeOf(schema)}${notes.length > 0 ? ` (${notes.join('; ')})` : ''}`];
}

/**
 * A route's body or answer: a named schema is shown in full here (with its name), since that is
 * where a reader looks for it; the schemas nested in it stay links to the Schemas section.
 */
function describeRouteSchema(schema: Schema, components: Record<string, unknown>): string[] {
  const name = refName(schema);
  const named = name === undefined ? undefined : components[name];
  if (name === undefined || !isObject(named)) return describeSchema(schema);
  return [`${code(name)}:`, '', ...describeSchema(named)];
}

/** A union member named by the field that tells it apart (`kind` = "products"), if one does. */
function variantLabel(variant: Schema): string {
  const properties = isObject(variant.properties) ? variant.properties : {};
  for (const [field, value] of Object.entries(properties)) {
    if (isObject(value) && Array.isArray(value.enum) && value.enum.length === 1) {
      return `${code(field)} is ${code(JSON.stringify(value.enum[0]))}:`;
    }
  }
  return 'An object:';
}

function parameterTable(parameters: Schema[], where: 'path' | 'query'): string[] {
  const rows = parameters
    .filter((parameter) => parameter.in === where)
    .map((parameter) => {
      const schema = isObject(parameter.schema) ? parameter.schema : {};
      return `| ${code(String(parameter.name))} | ${cell(typeOf(schema))} | ${parameter.required === true ? 'yes' : 'no'} | ${cell(constraintsOf(schema).join('; '))} |`;
    });
  if (rows.length === 0) return [];
  const title = where === 'path' ? '**Path parameters**' : '**Query parameters**';
  return [title, '', '| name | type | required | notes |', '| --- | --- | --- | --- |', ...rows, ''];
}

function jsonSchemaOf(holder: unknown): Schema | undefined {
  if (!isObject(holder) || !isObject(holder.content)) return undefined;
  const json = holder.content['application/json'];
  return isObject(json) && isObject(json.schema) ? json.schema : undefined;
}

function errorCodesOf(schema: Schema | undefined): string[] {
  const error = isObject(schema?.properties) ? schema.properties.error : undefined;
  const codeSchema = isObject(error) && isObject(error.properties) ? error.properties.code : undefined;
  return isObject(codeSchema) && Array.isArray(codeSchema.enum) ? codeSchema.enum.map(String) : [];
}

const whoLabel: Record<string, string> = {
  adminToken: 'admin',
  shopToken: 'shop',
  agentToken: 'agent',
  consoleSession: 'console session',
};

function callersOf(operation: Operation): string[] {
  const security = Array.isArray(operation.security) ? operation.security.filter(isObject) : [];
  return security.flatMap((requirement) => Object.keys(requirement).map((key) => whoLabel[key] ?? key));
}

/** An empty requirement among the alternatives: the credential is optional. */
const credentialOptional = (operation: Operation) =>
  Array.isArray(operation.security) &&
  operation.security.some((requirement) => isObject(requirement) && Object.keys(requirement).length === 0);

/** For the routes table: `shop, agent (panel)`. */
function callersLabel(operation: Operation): string {
  const kinds = callersOf(operation);
  if (kinds.length === 0) return 'public';
  const permission = operation['x-agent-permission'];
  const optional = credentialOptional(operation) ? ' (optional)' : '';
  return `${kinds
    .map((kind) => (kind === 'agent' && typeof permission === 'string' ? `agent (${permission})` : kind))
    .join(', ')}${optional}`;
}

/** For a route's section: `Token: a shop token, or an agent token with the panel permission.` */
function tokenSentence(operation: Operation): string {
  const kinds = callersOf(operation);
  if (kinds.length === 0) return '**Token:** none, the route is public.';
  const permission = operation['x-agent-permission'];
  const bearer = kinds
    .filter((kind) => kind !== 'console session')
    .map((kind) => {
      const needs =
        kind === 'agent' && typeof permission === 'string' ? ` with the ${code(permission)} permission` : '';
      return `${kind === 'admin' ? 'the admin token' : `a${kind === 'agent' ? 'n' : ''} ${kind} token`}${needs}`;
    });
  const ways = [
    ...(bearer.length > 0 ? [`${bearer.join(', or ')} (\`Authorization: Bearer …\`)`] : []),
    ...(kinds.includes('console session') ? ["the console's session cookie"] : []),
  ];
  const optional = credentialOptional(operation) ? ', optional' : '';
  return `**Token:** ${ways.join('; or ')}${optional}.`;
}

const routeHeading = (method: string, path: string) => `${method.toUpperCase()} ${path}`;

function renderOperation(
  method: string,
  path: string,
  operation: Operation,
  components: Record<string, unknown>,
): string[] {
  const lines = [`### ${routeHeading(method, path)}`, '', `**${String(operation.summary)}.**`, ''];
  lines.push(String(operation.description), '', tokenSentence(operation), '');
  const parameters = Array.isArray(operation.parameters) ? operation.parameters.filter(isObject) : [];
  lines.push(...parameterTable(parameters, 'path'), ...parameterTable(parameters, 'query'));
  const body = jsonSchemaOf(operation.requestBody);
  if (body !== undefined)
    lines.push('**Request body** (JSON)', '', ...describeRouteSchema(body, components), '');

  const responses = isObject(operation.responses) ? operation.responses : {};
  const errorsByStatus: string[] = [];
  // Statuses answering the same shape (201 created, 200 already there) share one table.
  const answers = new Map<string, { schema: Schema | undefined; lines: string[] }>();
  for (const [status, response] of Object.entries(responses)) {
    if (!isObject(response)) continue;
    const schema = jsonSchemaOf(response);
    const codes = errorCodesOf(schema);
    if (codes.length > 0) {
      errorsByStatus.push(`| ${status} | ${codes.map(code).join(', ')} |`);
      continue;
    }
    const headers = isObject(response.headers) ? Object.keys(response.headers).map(code) : [];
    const key = JSON.stringify(schema ?? null);
    const answer = answers.get(key) ?? { schema, lines: [] };
    answer.lines.push(
      `${code(status)}: ${String(response.description)}` +
        (headers.length > 0 ? ` Headers: ${headers.join(', ')}.` : '') +
        (schema === undefined ? ' No body.' : ''),
      '',
    );
    answers.set(key, answer);
  }
  lines.push('**Answers**', '');
  for (const answer of answers.values()) {
    lines.push(...answer.lines);
    if (answer.schema !== undefined) lines.push(...describeRouteSchema(answer.schema, components), '');
  }
  if (errorsByStatus.length > 0) {
    lines.push('**Errors**', '', '| status | codes |', '| --- | --- |', ...errorsByStatus, '');
  }
  return lines;
}

/** The named schemas a route uses directly as its body or an answer. */
function topLevelRefs(operation: Operation): string[] {
  const responses = isObject(operation.responses) ? Object.values(operation.responses) : [];
  return [operation.requestBody, ...responses]
    .map(jsonSchemaOf)
    .flatMap((schema) => (schema === undefined ? [] : [refName(schema)]))
    .filter((name): name is string => name !== undefined);
}

interface RouteEntry {
  method: string;
  path: string;
  operation: Operation;
}

function routesOf(document: OpenApiDocument): RouteEntry[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    METHODS.flatMap((method) => {
      const operation = (item as Record<string, unknown>)[method];
      return isObject(operation) ? [{ method, path, operation }] : [];
    }),
  );
}

const tagOf = (route: RouteEntry) =>
  Array.isArray(route.operation.tags) ? String(route.operation.tags[0]) : 'Other';

export interface MarkdownOptions {
  /** The page's opening: title and the text above the contents. */
  header: string;
  /** Routes served under /api that are not operations of their own, with the reason. */
  notDocumented: readonly { method: string; path: string; reason: string }[];
}

export function renderApiMarkdown(document: OpenApiDocument, options: MarkdownOptions): string {
  const routes = routesOf(document);
  const tags = [...new Set(routes.map(tagOf))];
  const lines = [options.header.trimEnd(), ''];

  lines.push('## Routes', '', '| route | who | what |', '| --- | --- | --- |');
  for (const route of routes) {
    const heading = routeHeading(route.method, route.path);
    lines.push(
      `| [${code(heading)}](#${anchor(heading)}) | ${callersLabel(route.operation)} | ${cell(String(route.operation.summary))} |`,
    );
  }
  lines.push('');
  if (options.notDocumented.length > 0) {
    lines.push('Also served, not operations of their own:', '');
    for (const route of options.notDocumented)
      lines.push(`- ${code(`${route.method} ${route.path}`)}: ${route.reason}.`);
    lines.push('');
  }

  lines.push(
    '## Errors',
    '',
    'Every error answers `{"error":{"code":"…","message":"…"}}` (sometimes with `details`): the code is stable,',
    'the message says what to fix. Each route lists the codes it can answer, these included:',
    '',
    `- every route with a token: ${authErrors.map(code).join(', ')};`,
    `- every route with a JSON body: ${bodyErrors.map(code).join(', ')};`,
    `- every route that reads the database: ${databaseErrors.map(code).join(', ')};`,
    `- every route: ${everyRouteErrors.map(code).join(', ')} (a fault of the server).`,
    '',
    `Any request can also be answered ${requestErrors.map(code).join(', ')} before a route is chosen (a`,
    'malformed request, an unknown path); these are not repeated route by route.',
    '',
    '| code | status | meaning |',
    '| --- | --- | --- |',
    ...Object.entries(apiErrorCodes)
      .sort(([, a], [, b]) => a.status - b.status)
      .map(([errorCode, { status, when }]) => `| ${code(errorCode)} | ${status} | ${cell(when)} |`),
    '',
  );

  const schemas = isObject(document.components?.schemas) ? document.components.schemas : {};
  for (const tag of tags) {
    lines.push(`## ${tag}`, '');
    for (const route of routes.filter((entry) => tagOf(entry) === tag)) {
      lines.push(...renderOperation(route.method, route.path, route.operation, schemas));
    }
  }

  // A route's own body and answers are shown in its section; this lists the shapes nested in them.
  const shownInRoutes = new Set(routes.flatMap((route) => topLevelRefs(route.operation)));
  const nested = new Set(
    [...JSON.stringify(schemas).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]),
  );
  lines.push(
    '## Schemas',
    '',
    'The shapes nested in the bodies and answers above, from `packages/contract`.',
    '',
  );
  for (const [name, schema] of Object.entries(schemas)) {
    if (!isObject(schema) || (shownInRoutes.has(name) && !nested.has(name))) continue;
    lines.push(`### ${name}`, '', ...describeSchema(schema), '');
  }
  return `${lines
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
